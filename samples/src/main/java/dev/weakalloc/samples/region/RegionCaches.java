package dev.weakalloc.samples.region;

import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The one place that obtains the JCache {@link Cache} of region files: from the only {@link
 * CachingProvider} on the class path (weak-alloc's), with a byte budget.
 *
 * <p>Standard JCache has no way to bound a cache by bytes; the budget goes to the provider as the
 * {@code CacheManager} property {@value #BUDGET_PROPERTY}, the capacity of the off-heap region the
 * manager's caches share. Nothing else needs configuring: the region evicts the least recently
 * used regions only when it is full.
 *
 * <p>Stateless; thread-safe.
 */
public final class RegionCaches {
  /** The name of the cache of region files. */
  public static final String CACHE_NAME = "regions";

  /** The {@code CacheManager} property that carries the byte budget: the region's capacity. */
  public static final String BUDGET_PROPERTY = "weakalloc.region.capacity";

  /** The {@code CacheManager} property that chooses the region's admission policy. */
  public static final String ADMISSION_PROPERTY = "weakalloc.region.admission";

  private RegionCaches() {}

  /**
   * {@return a new cache of region files, {@value #CACHE_NAME}, with room for {@code
   * budgetBytes}, in the provider's default cache manager} Statistics are enabled, so that the
   * standard statistics MXBean reports it too. {@link #close(Cache)} destroys it and closes its
   * manager.
   *
   * @throws javax.cache.CacheException if there is no provider, several, or the cache exists
   */
  public static Cache<RegionPos, byte[]> open(long budgetBytes) {
    return open(budgetBytes, "none");
  }

  /**
   * {@return a new cache of region files as {@link #open(long)}, its region with the admission
   * policy {@code admission}: {@code none} (pure LRU) or {@code tinylfu}}
   */
  public static Cache<RegionPos, byte[]> open(long budgetBytes, String admission) {
    CachingProvider provider = Caching.getCachingProvider();
    Properties properties = new Properties();
    properties.setProperty(BUDGET_PROPERTY, Long.toString(budgetBytes));
    properties.setProperty(ADMISSION_PROPERTY, admission);
    CacheManager manager = provider.getCacheManager(
        provider.getDefaultURI(), RegionCaches.class.getClassLoader(), properties);
    var config = new MutableConfiguration<RegionPos, byte[]>()
        .setTypes(RegionPos.class, byte[].class)
        // weak-alloc stores by value only: a hit decodes a copy of the region file
        .setStoreByValue(!provider.isSupported(OptionalFeature.STORE_BY_REFERENCE))
        .setStatisticsEnabled(true);
    return manager.createCache(CACHE_NAME, config);
  }

  /** Closes the cache and its cache manager. */
  public static void close(Cache<RegionPos, byte[]> cache) {
    CacheManager manager = cache.getCacheManager();
    manager.destroyCache(cache.getName());
    manager.close();
  }
}
