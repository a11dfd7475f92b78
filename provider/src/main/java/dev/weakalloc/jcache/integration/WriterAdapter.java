package dev.weakalloc.jcache.integration;

import dev.weakalloc.jcache.CacheEntry;
import java.util.Collection;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * Calls a {@link CacheWriter}, turning whatever it throws into a {@link CacheWriterException} as
 * the spec requires. For the batch calls, the collection passed keeps the entries the writer did
 * not handle, as the writer left it.
 *
 * <p>Thread safety: as thread-safe as the writer, which the spec requires to be.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class WriterAdapter<K, V> {
  private final CacheWriter<K, V> writer;

  /** Wraps {@code writer}. */
  @SuppressWarnings("unchecked")
  public WriterAdapter(CacheWriter<? super K, ? super V> writer) {
    this.writer = (CacheWriter<K, V>) writer;
  }

  /** Writes one entry. */
  public void write(K key, V value) {
    try {
      writer.write(new CacheEntry<>(key, value));
    } catch (RuntimeException e) {
      throw wrap(e, "the cache writer failed to write " + key);
    }
  }

  /** Deletes one key. */
  public void delete(Object key) {
    try {
      writer.delete(key);
    } catch (RuntimeException e) {
      throw wrap(e, "the cache writer failed to delete " + key);
    }
  }

  /** {@return null, or the failure; {@code entries} then holds those not written} */
  public CacheWriterException writeAll(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
    try {
      writer.writeAll(entries);
      return null;
    } catch (RuntimeException e) {
      return wrap(e, "writeAll failed");
    }
  }

  /** {@return null, or the failure; {@code keys} then holds those not deleted} */
  public CacheWriterException deleteAll(Collection<?> keys) {
    try {
      writer.deleteAll(keys);
      return null;
    } catch (RuntimeException e) {
      return wrap(e, "deleteAll failed");
    }
  }

  /** {@return the writer, to close it} */
  public CacheWriter<K, V> writer() {
    return writer;
  }

  private static CacheWriterException wrap(RuntimeException e, String message) {
    return e instanceof CacheWriterException cwe ? cwe : new CacheWriterException(message, e);
  }
}
