package dev.weakalloc.jcache.integration;

import java.util.Map;
import java.util.Set;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;

/**
 * Calls a {@link CacheLoader}, turning whatever it throws into a {@link CacheLoaderException} as
 * the spec requires.
 *
 * <p>Thread safety: as thread-safe as the loader, which the spec requires to be.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class LoaderAdapter<K, V> {
  private final CacheLoader<K, V> loader;

  /** Wraps {@code loader}. */
  public LoaderAdapter(CacheLoader<K, V> loader) {
    this.loader = loader;
  }

  /** {@return the loaded value, or null} */
  public V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("the cache loader failed to load " + key, e);
    }
  }

  /** {@return the loaded values; never null} */
  public Map<K, V> loadAll(Set<K> keys) {
    try {
      Map<K, V> loaded = loader.loadAll(keys);
      return loaded == null ? Map.of() : loaded;
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("the cache loader failed to load " + keys.size() + " keys", e);
    }
  }
}
