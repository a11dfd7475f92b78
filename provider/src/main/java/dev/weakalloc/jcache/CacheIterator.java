package dev.weakalloc.jcache;

import dev.weakalloc.WeakRef;
import java.util.Iterator;
import java.util.NoSuchElementException;
import javax.cache.Cache;

/**
 * The iterator of a {@link WeakAllocCache}: walks the map (weakly consistent, as {@code
 * ConcurrentHashMap} iterators are), skipping expired entries (removed and announced as it meets
 * them) and evicted ones; an entry replaced while the walk reads it is returned with its new
 * value. Each entry returned is a fresh copy and counts a hit. {@link #remove()}
 * removes through the cache, so the writer and listeners see it. Once the cache is closed, every
 * method throws {@link IllegalStateException}, whatever {@code hasNext()} said before. A value that
 * cannot be decoded fails {@code hasNext()} with a {@code CacheException} naming its key.
 *
 * <p>Thread safety: not thread-safe, like any iterator; the cache may change concurrently.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheIterator<K, V> implements Iterator<Cache.Entry<K, V>> {
  private final CacheCore<K, V> core;
  private final CacheReads<K, V> reads;
  private final Cache<K, V> cache;
  private final Iterator<WeakRef<V>> entries;
  private Cache.Entry<K, V> next;
  private Cache.Entry<K, V> last;

  CacheIterator(CacheCore<K, V> core, CacheReads<K, V> reads, Cache<K, V> cache) {
    this.core = core;
    this.reads = reads;
    this.cache = cache;
    this.entries = core.map.values().iterator();
  }

  /** @throws IllegalStateException if the cache is closed, even after a true {@code hasNext()} */
  @Override
  public boolean hasNext() {
    core.checkOpen();
    while (next == null && entries.hasNext()) {
      WeakRef<V> entry = entries.next();
      long now = core.now();
      if (CacheCore.isExpired(entry, now)) {
        core.expireNow(entry);
        continue;
      }
      V value = core.valueOf(entry);
      if (value == null) {
        value = reads.getIfLive(CacheCore.keyOf(entry)); // replaced since the map walk read it, or evicted
      } else if (core.expiry.accessMatters()) {
        core.touch(entry, now);
      }
      if (value != null) {
        next = new CacheEntry<>(CacheCore.keyOf(entry), value);
      }
    }
    return next != null;
  }

  /** @throws IllegalStateException if the cache is closed, even after a true {@code hasNext()} */
  @Override
  public Cache.Entry<K, V> next() {
    if (!hasNext()) { // checks that the cache is open
      throw new NoSuchElementException();
    }
    last = next;
    next = null;
    core.statistics.recordHits(1);
    return last;
  }

  @Override
  public void remove() {
    if (last == null) {
      throw new IllegalStateException("next() was not called, or remove() was already");
    }
    core.checkOpen();
    cache.remove(last.getKey());
    last = null;
  }
}
