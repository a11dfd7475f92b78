package dev.weakalloc.jcache;

import static java.util.Objects.requireNonNull;

import dev.weakalloc.Admission;
import dev.weakalloc.WeakAllocStats;
import dev.weakalloc.jcache.configuration.DeclarativeConfiguration;
import dev.weakalloc.jcache.configuration.MemoryBudget;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import dev.weakalloc.jcache.internal.Region;
import dev.weakalloc.jcache.internal.Ticker;
import dev.weakalloc.jcache.management.CacheStatistics;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;

/**
 * A JCache {@link CacheManager}: the caches of one URI and class loader, and the off-heap region
 * they share.
 *
 * <p>The URI may name a configuration file: {@code file:}, {@code jar:} and other URL schemes are
 * read through URL streams, {@code classpath:} (or a bare path) through the class loader. Its
 * format is described in {@link DeclarativeConfiguration}; the caches it names are created when
 * the manager starts. Other URIs (the provider's default among them) configure nothing. The
 * manager's {@code Properties} may carry the same {@code weakalloc.} keys, which override the
 * file's: {@code weakalloc.region.capacity=64MiB} sizes the shared region without a file.
 *
 * <h2>Thread safety</h2>
 * Thread-safe. Creating, destroying and closing are serialized on the manager; lookups are not.
 *
 * <h2>Memory ownership</h2>
 * The manager owns its shared region, created with the capacity the configuration file gives or
 * else {@link MemoryBudget#defaultRegionCapacity()}; its memory is committed as values arrive and
 * released by {@link #close()}. A cache with a region of its own owns that region. The backing
 * cache managers its near caches obtained from their providers (by URI and properties) are closed
 * by {@link #close()} too.
 *
 * <h2>Near caches for every cache</h2>
 * With the {@code weakalloc.near.} keys (in the file, the properties, or JVM system properties;
 * {@link DeclarativeConfiguration.NearBacking}), every cache this manager creates that names no
 * backing cache of its own is a near cache of the cache of the same name on that engine, which is
 * created with the cache's JCache configuration: the engine loads, writes, expires and sends the
 * listeners' events; {@link #destroyCache} destroys it there too.
 */
public final class WeakAllocCacheManager implements CacheManager {
  private final WeakAllocCachingProvider provider;
  private final URI uri;
  private final ClassLoader classLoader;
  private final Properties properties;
  private final DeclarativeConfiguration declared;
  private final Map<String, WeakAllocCache<?, ?>> caches = new ConcurrentHashMap<>();
  /** The clock of expiry and statistics; see {@link #tickerOf}. */
  private final Ticker ticker;
  private final Executor executor = ForkJoinPool.commonPool();
  /**
   * The backing managers near caches obtained from a provider by URI and properties (never one the
   * user passed in): closed with this manager.
   */
  private final Set<CacheManager> backingManagers = ConcurrentHashMap.newKeySet();
  private volatile Region region;
  private volatile boolean closed;

  /**
   * Creates a manager and the caches its configuration file declares; called by the provider.
   * All or nothing: if a declared cache cannot be created, the caches created before it are
   * closed (their MXBeans unregistered) and the region released, and the failure is thrown.
   *
   * @throws CacheException if the URI names a configuration that cannot be read or is invalid
   */
  public WeakAllocCacheManager(
      WeakAllocCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties) {
    this.provider = requireNonNull(provider, "provider");
    this.uri = requireNonNull(uri, "uri");
    this.classLoader = requireNonNull(classLoader, "classLoader");
    this.properties = properties == null ? new Properties() : properties;
    this.ticker = tickerOf(this.properties);
    this.declared = DeclarativeConfiguration.load(uri, classLoader, this.properties);
    try {
      for (var entry : declared.caches().entrySet()) {
        createCache(entry.getKey(), entry.getValue());
      }
    } catch (RuntimeException | Error e) {
      close(); // never registered with the provider: this undoes the caches and the region
      throw e;
    }
  }

  /**
   * {@return the system ticker, or the {@link Ticker} the properties hold under that interface's
   * name} A hook for the provider's own tests (the interface is internal, not exported), which run
   * expiry on a fake clock instead of sleeping.
   */
  private static Ticker tickerOf(Properties properties) {
    return properties.get(Ticker.class.getName()) instanceof Ticker fake ? fake : Ticker.system();
  }

  @Override
  public WeakAllocCachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  /**
   * {@return a snapshot of the counters of the region this manager's caches share: capacity,
   * committed, used and pinned bytes, live values, evictions, failed allocations} Constant time.
   * Caches with a region of their own are not counted here; see {@link
   * WeakAllocCache#regionStats()}. Once the manager is closed: the counts as they were at close,
   * and nothing committed, used or pinned and no values (the memory went back to the platform).
   */
  public WeakAllocStats regionStats() {
    Region r = closed ? region : sharedRegion();
    return r != null ? r.stats()
        : Region.empty(declared.regionCapacity().orElseGet(MemoryBudget::defaultRegionCapacity));
  }

  /**
   * {@return the always-on counts (hits, misses, puts, removals, evictions, expiries) of every
   * cache that has stored in the shared region since it was created, closed caches included} Only
   * the {@code ...Count()} totals are meaningful: the JCache view of these statistics stays off.
   * Once the manager is closed: the counts as they were at close.
   */
  public CacheStatistics regionTotals() {
    Region r = closed ? region : sharedRegion();
    return r != null ? r.totals() : new CacheStatistics();
  }

  /** {@return the region shared by this manager's caches, created on first use} */
  Region sharedRegion() {
    Region r = region;
    if (r == null) {
      synchronized (this) {
        r = region;
        if (r == null) {
          long capacity = declared.regionCapacity().orElseGet(MemoryBudget::defaultRegionCapacity);
          region = r = new Region(capacity, declared.regionAdmission());
        }
      }
    }
    return r;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(
      String cacheName, C configuration) {
    checkOpen();
    requireNonNull(cacheName, "cacheName");
    requireNonNull(configuration, "configuration");
    WeakAllocConfiguration<K, V> config = WeakAllocConfiguration.copyOf(configuration);
    if (!config.isStoreByValue()) {
      throw new UnsupportedOperationException(
          "store-by-reference is not supported: values live off the heap (cache " + cacheName + ")");
    }
    synchronized (this) {
      checkOpen();
      if (caches.containsKey(cacheName)) {
        throw new CacheException("a cache named " + cacheName + " already exists");
      }
      boolean own = config.getOwnRegionCapacity() > 0;
      if (!own && config.getAdmission() != Admission.NONE) {
        throw new IllegalArgumentException("cache " + cacheName + ": admission "
            + config.getAdmission() + " applies to a region of the cache's own (setOwnRegion); the"
            + " shared region's policy is weakalloc.region.admission");
      }
      NearCaches.Backing<K, V> backing = config.isNearCache()
          ? NearCaches.backingOf(cacheName, config, classLoader, backingManagers)
          : declared.nearBacking().isPresent()
              ? NearCaches.carriedBackingOf(cacheName, config, declared.nearBacking().get(), uri,
                  provider.getDefaultURI(), classLoader, backingManagers)
              : null;
      try {
        return publish(cacheName, config, own, backing);
      } catch (RuntimeException | Error e) {
        if (backing != null) {
          NearCaches.discard(backing, e); // a backing cache this creation made goes with it
        }
        throw e;
      }
    }
  }

  /**
   * Makes the cache and publishes it; all or nothing: if it fails, nothing of it is left (its own
   * region is closed, its MXBeans and its listeners on a backing cache are removed).
   */
  // Guarded by this.
  private <K, V> WeakAllocCache<K, V> publish(
      String cacheName, WeakAllocConfiguration<K, V> config, boolean own,
      NearCaches.Backing<K, V> backing) {
    Region r = own
        ? new Region(config.getOwnRegionCapacity(), config.getAdmission())
        : sharedRegion();
    WeakAllocCache<K, V> cache;
    try {
      cache = new WeakAllocCache<>(cacheName, this, config, r, own, ticker, executor, backing);
    } catch (RuntimeException | Error e) {
      if (own) {
        r.close();
      }
      throw e;
    }
    caches.put(cacheName, cache);
    try {
      cache.registerMBeans();
    } catch (RuntimeException | Error e) {
      cache.close(); // unregisters what it registered, forgets the cache, closes its own region
      throw e;
    }
    return cache;
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    checkOpen();
    requireNonNull(cacheName, "cacheName");
    requireNonNull(keyType, "keyType");
    requireNonNull(valueType, "valueType");
    WeakAllocCache<?, ?> cache = caches.get(cacheName);
    if (cache == null) {
      return null;
    }
    CompleteConfiguration<?, ?> config = cache.configuration();
    if (config.getKeyType() != keyType || config.getValueType() != valueType) {
      throw new ClassCastException(
          "cache " + cacheName + " holds " + config.getKeyType().getName() + " -> "
              + config.getValueType().getName() + ", not " + keyType.getName() + " -> "
              + valueType.getName());
    }
    @SuppressWarnings("unchecked")
    Cache<K, V> typed = (Cache<K, V>) cache;
    return typed;
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName) {
    checkOpen();
    requireNonNull(cacheName, "cacheName");
    @SuppressWarnings("unchecked")
    Cache<K, V> cache = (Cache<K, V>) caches.get(cacheName);
    return cache;
  }

  @Override
  public Iterable<String> getCacheNames() {
    checkOpen();
    return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
  }

  @Override
  public void destroyCache(String cacheName) {
    checkOpen();
    requireNonNull(cacheName, "cacheName");
    WeakAllocCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      if (!cache.isNearCache()) {
        cache.clear();
      } // a near cache drops only its near copies (close): the backing cache is not its to clear
      cache.close();
      cache.destroyCarriedBacking(); // unless the manager-wide switch made it for this cache
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    checkOpen();
    requireNonNull(cacheName, "cacheName");
    WeakAllocCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    checkOpen();
    requireNonNull(cacheName, "cacheName");
    WeakAllocCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  /** Forgets a cache that closed itself. */
  void release(WeakAllocCache<?, ?> cache) {
    caches.remove(cache.getName(), cache);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    provider.release(this);
    for (WeakAllocCache<?, ?> cache : new ArrayList<>(caches.values())) {
      cache.close();
    }
    caches.clear();
    for (CacheManager backingManager : backingManagers) {
      try {
        backingManager.close();
      } catch (RuntimeException e) {
        System.getLogger(WeakAllocCacheManager.class.getName()).log(
            System.Logger.Level.DEBUG, "closing the backing manager " + backingManager.getURI(), e);
      }
    }
    backingManagers.clear();
    Region r = region;
    if (r != null) {
      r.close();
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the cache manager " + uri + " is closed");
    }
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap the cache manager to " + clazz.getName());
  }

  @Override
  public String toString() {
    return "WeakAllocCacheManager[" + uri + "]";
  }
}
