package dev.weakalloc.samples.quickstart;

import dev.weakalloc.jcache.metrics.WeakAllocCacheMetrics;
import dev.weakalloc.jcache.metrics.WeakAllocRegionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;

/**
 * The README's JCache quick start and metrics example, compiled and run by {@code
 * JCacheQuickStartTest} so that they cannot rot: the weak-alloc provider found by {@link Caching},
 * a cache of byte arrays in the manager's off-heap region, a put and a get; the provider's
 * Micrometer binders on a cache and its manager's region.
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

  /**
   * Runs the README's metrics example: binds {@code cache}, a cache of this provider, and the
   * region its manager's caches share to {@code registry}.
   */
  public static void monitor(MeterRegistry registry, Cache<String, byte[]> cache) {
    CacheManager manager = cache.getCacheManager();
    // @start region="metrics"
    WeakAllocCacheMetrics.monitor(registry, cache);      // like Micrometer's JCacheMetrics.monitor
    WeakAllocRegionMetrics.monitor(registry, manager);   // the manager's shared region
    // @end
  }
}
