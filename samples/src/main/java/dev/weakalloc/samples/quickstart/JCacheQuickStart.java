package dev.weakalloc.samples.quickstart;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;

/**
 * The README's JCache quick start, compiled and run by {@code JCacheQuickStartTest} so that it
 * cannot rot: the weak-alloc provider found by {@link Caching}, a cache of byte arrays in the
 * manager's off-heap region, a put and a get.
 *
 * <p>Not thread-safe as a whole (it is a script); the cache it uses is.
 */
public final class JCacheQuickStart {
  private JCacheQuickStart() {}

  /**
   * Runs the quick start.
   *
   * @return the value read back
   */
  public static byte[] run(byte[] bytes) {
    // @start region="quick-start"
    CacheManager manager = Caching.getCachingProvider().getCacheManager();
    Cache<String, byte[]> tiles = manager.createCache("tiles",
        new MutableConfiguration<String, byte[]>().setTypes(String.class, byte[].class));

    tiles.put("r.0.0", bytes);          // encoded into the manager's off-heap region
    byte[] copy = tiles.get("r.0.0");   // a fresh copy, or null once evicted for room
    // @end
    manager.destroyCache("tiles");
    return copy;
  }
}
