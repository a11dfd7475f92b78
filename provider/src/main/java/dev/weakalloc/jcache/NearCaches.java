package dev.weakalloc.jcache;

import dev.weakalloc.jcache.configuration.DeclarativeConfiguration;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import java.net.URI;
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
 * <p>Two kinds of near cache: one that names its backing cache ({@link #backingOf}: the backing
 * cache is the engine's, and the near cache may not read or write through nor expire) and one the
 * manager-wide switch made ({@link #carriedBackingOf}: the backing cache takes the cache's JCache
 * configuration, does the loading, writing, expiry and events, and is destroyed with it).
 *
 * <p>Thread safety: stateless.
 */
final class NearCaches {
  private NearCaches() {}

  /**
   * A near cache's backing cache, and how the near tier treats it.
   *
   * @param cache the backing cache
   * @param manager the backing cache's manager
   * @param carried whether the backing cache was made from the near cache's own configuration by
   *     the manager-wide switch: then the JCache statistics are the backing cache's (with the near
   *     hits added), and {@code destroyCache} destroys the backing cache too
   * @param keepsCopies whether the near tier keeps copies: not when the backing cache's entries
   *     may expire (a near copy must never outlive the backing entry, and the backing expiry time
   *     is not visible through the JCache API)
   * @param tier the configuration of the near tier's own region entries: no loader, writer or
   *     listeners, and its maximum staleness as expiry
   * @param created whether the near cache created the backing cache on the engine (it did not
   *     exist): if the near cache's creation fails, {@link #discard} destroys it again
   */
  record Backing<K, V>(
      Cache<K, V> cache,
      CacheManager manager,
      boolean carried,
      boolean keepsCopies,
      WeakAllocConfiguration<K, V> tier,
      boolean created) {}

  /**
   * Makes {@code config} a near cache of the manager-wide switch: finds or creates the backing
   * cache named {@code name} on {@code near}'s provider, created with {@code config}'s JCache
   * configuration (types, loader, writer, read- and write-through, expiry, statistics; not the
   * listeners, which the near cache registers on it, {@link NearListeners}), and returns it with
   * the configuration of the near tier.
   * {@code config} is left as the user gave it. A backing cache that exists already (made by
   * another node, say) is used as it is.
   *
   * @throws CacheException if the backing provider, manager or cache cannot be reached
   */
  static <K, V> Backing<K, V> carriedBackingOf(
      String name,
      WeakAllocConfiguration<K, V> config,
      DeclarativeConfiguration.NearBacking near,
      URI managerUri,
      URI providerDefault,
      ClassLoader classLoader,
      java.util.Set<CacheManager> obtained) {
    String where = "the backing cache " + name + " of near cache " + name
        + " (provider " + near.provider() + ")";
    try {
      CachingProvider provider = providerOf(near.provider(), classLoader);
      URI uri = near.uriFor(managerUri, providerDefault, provider.getDefaultURI());
      CacheManager manager = provider.getCacheManager(uri, classLoader, near.properties());
      obtained.add(manager);
      boolean eternal = config.getExpiryPolicyFactory().create() instanceof EternalExpiryPolicy;
      WeakAllocConfiguration<K, V> tier = tierOf(config, near.maxStaleness());
      Cache<K, V> cache = manager.getCache(name);
      if (cache != null) { // made elsewhere: used as it is
        return new Backing<>(cache, manager, true, eternal && isEternal(cache), tier, false);
      }
      // Without the listeners: the near cache registers them itself, wrapped so that their events
      // name it as the source (NearListeners).
      try {
        cache = manager.createCache(name, carried(config));
        return new Backing<>(cache, manager, true, eternal, tier, true);
      } catch (CacheException e) {
        cache = manager.getCache(name); // created meanwhile, elsewhere
        if (cache == null) {
          throw e;
        }
        return new Backing<>(cache, manager, true, eternal && isEternal(cache), tier, false);
      }
    } catch (RuntimeException e) {
      throw new CacheException("cannot reach " + where + ": " + e, e);
    }
  }

  /**
   * One instance per provider class, made here rather than by {@code Caching.getCachingProvider(
   * className, classLoader)}: that call adds the provider to {@code Caching}'s registry for the
   * class loader, after which the application's own {@code Caching.getCachingProvider()} finds two
   * providers and throws, even when {@code javax.cache.spi.CachingProvider} names this one.
   */
  private static final ClassValue<CachingProvider> PROVIDERS = new ClassValue<>() {
    @Override
    protected CachingProvider computeValue(Class<?> type) {
      try {
        return (CachingProvider) type.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new CacheException("cannot make the CachingProvider " + type.getName() + ": " + e, e);
      }
    }
  };

  /** {@return the one instance of the provider class {@code className} the switch uses} */
  static CachingProvider providerOf(String className, ClassLoader classLoader) {
    Class<?> type;
    try {
      type = Class.forName(className, true, classLoader);
    } catch (ClassNotFoundException e) {
      throw new CacheException("no class " + className + " in " + classLoader, e);
    }
    if (!CachingProvider.class.isAssignableFrom(type)) {
      throw new CacheException(className + " is not a javax.cache.spi.CachingProvider");
    }
    return PROVIDERS.get(type);
  }

  /**
   * {@return whether the entries of a backing cache made elsewhere never expire} False if its
   * configuration cannot be read: then no near copies are kept, which is always safe.
   */
  @SuppressWarnings("unchecked") // CompleteConfiguration.class is raw
  private static boolean isEternal(Cache<?, ?> cache) {
    try {
      return cache.getConfiguration(javax.cache.configuration.CompleteConfiguration.class)
          .getExpiryPolicyFactory().create() instanceof EternalExpiryPolicy;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** {@return the JCache part of {@code config} but its listeners, for the backing cache} */
  private static <K, V> MutableConfiguration<K, V> carried(WeakAllocConfiguration<K, V> config) {
    return new MutableConfiguration<K, V>()
        .setTypes(config.getKeyType(), config.getValueType())
        .setCacheLoaderFactory(config.getCacheLoaderFactory())
        .setCacheWriterFactory(config.getCacheWriterFactory())
        .setReadThrough(config.isReadThrough())
        .setWriteThrough(config.isWriteThrough())
        .setExpiryPolicyFactory(config.getExpiryPolicyFactory())
        .setStatisticsEnabled(config.isStatisticsEnabled())
        .setStoreByValue(config.isStoreByValue());
  }

  /** {@return the configuration of a near tier's region entries} */
  private static <K, V> WeakAllocConfiguration<K, V> tierOf(
      WeakAllocConfiguration<K, V> config, Duration staleness) {
    WeakAllocConfiguration<K, V> tier = new WeakAllocConfiguration<>(config);
    for (var listener : config.getCacheEntryListenerConfigurations()) {
      tier.removeCacheEntryListenerConfiguration(listener);
    }
    tier.setCacheLoaderFactory(null).setCacheWriterFactory(null).setReadThrough(false)
        .setWriteThrough(false);
    tier.setExpiryPolicyFactory(staleness.isEternal()
        ? EternalExpiryPolicy.factoryOf()
        : CreatedExpiryPolicy.factoryOf(staleness));
    return tier;
  }

  /**
   * Checks that {@code config} may be a near cache, sets its expiry to its maximum staleness, and
   * returns its backing cache, created with the configuration's types if it does not exist: not
   * carried (the cache names its backing cache itself), keeping copies, and {@code config} serving
   * as the tier's configuration. The
   * backing manager is added to {@code obtained}: the near cache's manager closes it when it closes
   * (it is shared with whoever else asks its provider for the same URI).
   *
   * @throws IllegalArgumentException if the configuration reads or writes through, or sets an
   *     expiry policy of its own
   * @throws CacheException if the backing provider, manager or cache cannot be reached; the message
   *     names them
   */
  static <K, V> Backing<K, V> backingOf(
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
      String backingName = config.getBackingCacheName();
      Cache<K, V> cache = manager.getCache(backingName);
      if (cache != null) {
        return new Backing<>(cache, manager, false, true, config, false);
      }
      try {
        cache = manager.createCache(backingName,
            new MutableConfiguration<K, V>().setTypes(config.getKeyType(), config.getValueType()));
        return new Backing<>(cache, manager, false, true, config, true);
      } catch (CacheException e) {
        cache = manager.getCache(backingName); // created meanwhile, elsewhere
        if (cache == null) {
          throw e;
        }
        return new Backing<>(cache, manager, false, true, config, false);
      }
    } catch (RuntimeException e) {
      throw new CacheException("cannot reach " + where + ": " + e, e);
    }
  }

  /**
   * Undoes what finding {@code backing} did on the engine, after the near cache's creation failed
   * with {@code failure}: destroys the backing cache if the near cache created it, and leaves it
   * as it was if it existed before (another node's, or the user's). A failure to destroy it is
   * added to {@code failure} as suppressed. The backing manager stays obtained (closed with the
   * near cache's manager).
   */
  static void discard(Backing<?, ?> backing, Throwable failure) {
    if (!backing.created() || backing.manager().isClosed()) {
      return;
    }
    try {
      backing.manager().destroyCache(backing.cache().getName());
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
