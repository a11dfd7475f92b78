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
 * CachingProvider} on the class path, with a byte budget.
 *
 * <p>Standard JCache has no way to bound a cache by bytes; the budget goes to the provider as a
 * {@code CacheManager} property, {@value #BUDGET_PROPERTY}, and a provider that does not know the
 * property ignores it (Caffeine's JCache, the tests' stand-in, reads its bounds from its own
 * configuration file instead).
 *
 * <p>Stateless; thread-safe.
 */
public final class RegionCaches {
  /** The name of the cache of region files. */
  public static final String CACHE_NAME = "regions";

  /**
   * The {@code CacheManager} property that carries the byte budget.
   *
   * <p>TODO(lead): use the weakalloc-jcache provider's own capacity property once it lands.
   */
  public static final String BUDGET_PROPERTY = "dev.weakalloc.jcache.capacity";

  private RegionCaches() {}

  /** {@return whether a JCache provider is on the class path} */
  public static boolean isProviderPresent() {
    return Caching.getCachingProviders().iterator().hasNext();
  }

  /**
   * {@return a new cache of region files, {@value #CACHE_NAME}, with room for {@code
   * budgetBytes}, in the provider's default cache manager} Stores by reference where the provider
   * can, as copying whole regions on every hit would cost more than the cache saves. {@link
   * #close(Cache)} destroys it and closes its manager.
   *
   * @throws javax.cache.CacheException if there is no provider, several, or the cache exists
   */
  public static Cache<RegionPos, byte[]> open(long budgetBytes) {
    CachingProvider provider = Caching.getCachingProvider();
    Properties properties = new Properties();
    properties.setProperty(BUDGET_PROPERTY, Long.toString(budgetBytes));
    CacheManager manager = provider.getCacheManager(
        provider.getDefaultURI(), RegionCaches.class.getClassLoader(), properties);
    var config = new MutableConfiguration<RegionPos, byte[]>()
        .setTypes(RegionPos.class, byte[].class)
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
