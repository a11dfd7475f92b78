package dev.weakalloc.jcache;

import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.spi.CachingProvider;

/**
 * Checks a near cache's configuration and finds its backing cache, when the manager creates it.
 *
 * <p>Thread safety: stateless.
 */
final class NearCaches {
  private NearCaches() {}

  /**
   * Checks that {@code config} may be a near cache, sets its expiry to its maximum staleness, and
   * returns its backing cache, created with the configuration's types if it does not exist. The
   * backing manager is added to {@code obtained}: the near cache's manager closes it when it closes
   * (it is shared with whoever else asks its provider for the same URI).
   *
   * @throws IllegalArgumentException if the configuration reads or writes through, or sets an
   *     expiry policy of its own
   * @throws CacheException if the backing provider, manager or cache cannot be reached; the message
   *     names them
   */
  static <K, V> Cache<K, V> backingOf(
      String name,
      WeakAllocConfiguration<K, V> config,
      ClassLoader classLoader,
      java.util.Set<CacheManager> obtained) {
    if (config.isReadThrough() || config.isWriteThrough()) {
      throw new IllegalArgumentException("the near cache " + name + " does not read or write"
          + " through itself: configure the loader and writer on the backing cache "
          + config.getBackingCacheName());
    }
    if (!(config.getExpiryPolicyFactory().create() instanceof EternalExpiryPolicy)) {
      throw new IllegalArgumentException("the near cache " + name + "'s copies expire after its"
          + " maximum staleness: set the expiry of entries on the backing cache "
          + config.getBackingCacheName());
    }
    Duration staleness = config.getMaxStaleness();
    config.setExpiryPolicyFactory(staleness.isEternal()
        ? EternalExpiryPolicy.factoryOf()
        : CreatedExpiryPolicy.factoryOf(staleness));
    String where = "the backing cache " + config.getBackingCacheName() + " of near cache " + name
        + " (provider " + config.getBackingProvider() + ", manager "
        + (config.getBackingUri() == null ? "default" : config.getBackingUri()) + ")";
    try {
      CachingProvider provider = Caching.getCachingProvider(config.getBackingProvider(), classLoader);
      CacheManager manager = provider.getCacheManager(
          config.getBackingUri() == null ? provider.getDefaultURI() : config.getBackingUri(),
          classLoader, config.getBackingProperties());
      obtained.add(manager);
      return getOrCreate(manager, config);
    } catch (RuntimeException e) {
      throw new CacheException("cannot reach " + where + ": " + e, e);
    }
  }

  private static <K, V> Cache<K, V> getOrCreate(
      CacheManager manager, WeakAllocConfiguration<K, V> config) {
    String name = config.getBackingCacheName();
    Cache<K, V> cache = manager.getCache(name);
    if (cache != null) {
      return cache;
    }
    try {
      return manager.createCache(
          name, new MutableConfiguration<K, V>().setTypes(config.getKeyType(), config.getValueType()));
    } catch (CacheException e) {
      Cache<K, V> raced = manager.getCache(name); // created meanwhile, elsewhere
      if (raced == null) {
        throw e;
      }
      return raced;
    }
  }
}
