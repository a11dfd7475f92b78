package dev.weakalloc.jcache;

import static java.util.Objects.requireNonNull;

import dev.weakalloc.WeakAllocStats;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import dev.weakalloc.jcache.internal.ComputeGuard;
import dev.weakalloc.jcache.internal.Region;
import dev.weakalloc.jcache.internal.Resources;
import dev.weakalloc.jcache.internal.Ticker;
import dev.weakalloc.jcache.management.CacheConfigurationBean;
import dev.weakalloc.jcache.management.CacheStatistics;
import dev.weakalloc.jcache.management.CacheStatisticsView;
import dev.weakalloc.jcache.management.JmxRegistration;
import dev.weakalloc.jcache.management.JmxRegistration.MBeanType;
import dev.weakalloc.jcache.management.NearCacheStatistics;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;

/**
 * A JCache {@link Cache} whose keys live on the heap and whose values live off the heap, in a
 * region managed by a weak allocator, shared with the other caches of the manager unless the
 * cache asked for its own.
 *
 * <h2>Thread safety</h2>
 * Thread-safe. Mutations of one key are atomic: each runs in one {@link ConcurrentHashMap#compute}
 * of that key, which also calls the cache writer. A hit takes no lock: a map read, an expiry
 * check, and a decode of the value pinned by an atomic add. Listeners, statistics and the
 * eviction drain run after the computation, in the calling thread.
 *
 * <h2>Memory ownership</h2>
 * The region owns every value: {@code get} and friends return fresh on-heap copies, decoded by the
 * value codec; the caller owns them. Keys are copied on the way in unless they are immutable JDK
 * types. {@link #close()} frees the cache's values; closing a cache with its own region releases
 * the region's memory.
 *
 * <h2>Near cache</h2>
 * A cache configured with {@link WeakAllocConfiguration#setBackingCache} is the near tier of a
 * cache of another JCache provider: reads are served from the region and fall back to the backing
 * cache, every write goes to the backing cache first, listeners are registered on the backing
 * cache (their events name this cache as the source, {@link NearListeners}), and the backing
 * cache's events invalidate the near copies (see {@link #isNearCache()},
 * {@link #nearStatistics()}, {@link #invalidateNear()}, and provider/README.md, "When one machine
 * is not enough", for each operation and the consistency promise). The near copies are owned by
 * the region like any value; the backing cache is not owned by this cache, which never closes or
 * clears it (destroying a near cache drops only its near copies). The backing manager is closed by
 * this cache's manager when that closes.
 *
 * <h2>Implementation notes</h2>
 * <b>Structure.</b> This class is the public face: argument-free delegation, configuration,
 * listeners, management and lifecycle. The state and the steps every operation shares are in
 * {@link CacheCore}; the operations in {@link CacheReads} (get, getAll, containsKey, loading),
 * {@link CacheWrites} (puts, removes, replaces, clear), {@link CacheEntryProcessing} (invoke) and
 * {@link CacheIterator}; a near cache's in {@link NearTier}, which uses the others for its copies. All are package-private and hold no state of their own.
 *
 * <p><b>Concurrency.</b> Every change to a key happens in one {@code map.compute} of that key
 * ({@link CacheCore#compute}): the expiry check of the old entry, the writer call, the encoding of
 * the new value straight into a region block, and the free of the old block. (A {@code put} that
 * needs nothing of the old entry, with no expiry, writer or listener, encodes first and swaps with
 * one {@code map.put}: {@link CacheCore#putBlindly}.) Nothing inside a
 * computation touches another key of any map: the region's eviction callback only enqueues the
 * evicted entry, and {@link Region#drainEvictions()} (which removes evicted keys from their maps)
 * runs after the operation, outside any computation ({@link ComputeGuard} enforces it). Events
 * and statistics also follow the computation, from what it noted in an {@code Outcome}. A hit
 * takes no lock and allocates only the returned copy; the counts are always recorded (in {@code
 * LongAdder}s, also added to the region's totals, for the Micrometer meters), and only the
 * operation times wait on statistics being enabled.
 *
 * <p><b>Eviction.</b> When the region evicts a value, its {@code WeakRef} stops decoding and the
 * mapping reads as absent at once; the region queues the entry and a later {@link
 * Region#drainEvictions()} (after an operation, outside any computation) removes the mapping,
 * counts the eviction and tells the {@link RegionEvictionListener}s. A read that finds an evicted
 * value removes the mapping itself; the eviction is still counted once, by the drain.
 *
 * <p><b>Expiry.</b> Each entry holds its expiry time in ticker nanoseconds ({@code ETERNAL} when it
 * never expires). A read consults the clock only for an entry that may expire, and moves the
 * expiry time only under a policy whose access duration matters; a cache whose policy is exactly
 * {@code EternalExpiryPolicy} reads no clock at all. Expired entries are removed, their value freed
 * and an {@code EXPIRED} event published when an operation meets them, or by the sweep that about
 * one write in sixteen runs.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class WeakAllocCache<K, V> implements Cache<K, V> {
  private static final System.Logger LOG = System.getLogger(WeakAllocCache.class.getName());

  private final String name;
  private final WeakAllocCacheManager manager;
  private final WeakAllocConfiguration<K, V> configuration;
  private final CacheCore<K, V> core;
  private final CacheReads<K, V> reads;
  private final StatisticsView statisticsView = new StatisticsView();
  private final CacheWrites<K, V> writes;
  private final CacheEntryProcessing<K, V> processing;
  /** The near tier's operations, or null if this cache fronts no backing cache. */
  private final NearTier<K, V> near;
  /** The listeners, registered on the backing cache, of a near cache; null if this is none. */
  private final NearListeners<K, V> nearListeners;
  /** The backing cache and how it was made, or null if this cache fronts none. */
  private final NearCaches.Backing<K, V> backing;
  /** The JCache statistics of a near cache made by the manager-wide switch, or null. */
  private final CarriedStatistics carried;

  /**
   * Creates a cache; called by the manager.
   *
   * @param region the region values go to: the manager's, or one made for this cache alone
   * @param ownsRegion whether closing the cache closes the region
   * @param backing the cache this one is the near tier of, or null
   */
  WeakAllocCache(
      String name,
      WeakAllocCacheManager manager,
      WeakAllocConfiguration<K, V> configuration,
      Region region,
      boolean ownsRegion,
      Ticker ticker,
      Executor executor,
      NearCaches.Backing<K, V> backing) {
    this.name = name;
    this.manager = manager;
    this.configuration = configuration;
    this.backing = backing;
    // A near cache's region entries follow the tier's configuration (no loader, writer or
    // listeners; its staleness as expiry); getConfiguration returns the cache's own.
    this.core =
        new CacheCore<>(
            this, name, manager.getClassLoader(), backing == null ? configuration : backing.tier(),
            region, ownsRegion, ticker, executor);
    this.reads = new CacheReads<>(core);
    this.writes = new CacheWrites<>(core);
    this.processing = new CacheEntryProcessing<>(core);
    this.near = backing == null
        ? null
        : new NearTier<>(core, reads, writes, backing.cache(), backing.keepsCopies());
    this.carried = backing == null || !backing.carried()
        ? null
        : new CarriedStatistics(backing.cache(), backing.manager(), near.statistics);
    this.nearListeners = near == null ? null : new NearListeners<>(this, near);
    try {
      for (CacheEntryListenerConfiguration<K, V> listener :
          configuration.getCacheEntryListenerConfigurations()) {
        if (near != null) {
          nearListeners.register(listener);
        } else {
          core.dispatcher.register(listener);
        }
      }
    } catch (RuntimeException | Error e) {
      if (near != null) { // leave nothing on the backing cache, which outlives this cache
        nearListeners.deregisterAll(e::addSuppressed);
        near.close();
      }
      throw e;
    }
  }

  /** Registers the MXBeans the configuration asks for; called by the manager once published. */
  void registerMBeans() {
    if (configuration.isManagementEnabled()) {
      setManagementEnabled(true);
    }
    if (configuration.isStatisticsEnabled()) {
      setStatisticsEnabled(true);
    }
  }

  // --- reads (CacheReads) ---

  @Override
  public V get(K key) {
    return near != null ? near.get(key) : reads.get(key);
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    return near != null ? near.getAll(keys) : reads.getAll(keys);
  }

  @Override
  public boolean containsKey(K key) {
    return near != null ? near.containsKey(key) : reads.containsKey(key);
  }

  @Override
  public void loadAll(
      Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
    if (near != null) {
      near.loadAll(keys, replaceExistingValues, listener);
    } else {
      reads.loadAll(keys, replaceExistingValues, listener);
    }
  }

  // --- writes (CacheWrites) ---

  @Override
  public void put(K key, V value) {
    if (near != null) {
      near.put(key, value);
    } else {
      writes.put(key, value);
    }
  }

  @Override
  public V getAndPut(K key, V value) {
    return near != null ? near.getAndPut(key, value) : writes.getAndPut(key, value);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> entries) {
    if (near != null) {
      near.putAll(entries);
    } else {
      writes.putAll(entries);
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    return near != null ? near.putIfAbsent(key, value) : writes.putIfAbsent(key, value);
  }

  @Override
  public boolean remove(K key) {
    return near != null ? near.remove(key) : writes.remove(key);
  }

  @Override
  public boolean remove(K key, V oldValue) {
    return near != null ? near.remove(key, oldValue) : writes.remove(key, oldValue);
  }

  @Override
  public V getAndRemove(K key) {
    return near != null ? near.getAndRemove(key) : writes.getAndRemove(key);
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    if (near != null) {
      near.removeAll(keys);
    } else {
      writes.removeAll(keys);
    }
  }

  @Override
  public void removeAll() {
    if (near != null) {
      near.removeAll();
    } else {
      writes.removeAll();
    }
  }

  @Override
  public void clear() {
    if (near != null) {
      near.clear();
    } else {
      writes.clear();
    }
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return near != null ? near.replace(key, oldValue, newValue) : writes.replace(key, oldValue, newValue);
  }

  @Override
  public boolean replace(K key, V value) {
    return near != null ? near.replace(key, value) : writes.replace(key, value);
  }

  @Override
  public V getAndReplace(K key, V value) {
    return near != null ? near.getAndReplace(key, value) : writes.getAndReplace(key, value);
  }

  // --- entry processors (CacheEntryProcessing) and iteration (CacheIterator) ---

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    return near != null
        ? near.invoke(key, processor, arguments)
        : processing.invoke(key, processor, arguments);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(
      Set<? extends K> keys, EntryProcessor<K, V, T> processor, Object... arguments) {
    return near != null
        ? near.invokeAll(keys, processor, arguments)
        : processing.invokeAll(keys, processor, arguments);
  }

  @Override
  public Iterator<Cache.Entry<K, V>> iterator() {
    core.checkOpen();
    return near != null ? near.iterator() : new CacheIterator<>(core, reads, this);
  }

  // --- region evictions and provider extras ---

  /** Adds a listener told of each key whose value the region evicted. */
  public void addEvictionListener(RegionEvictionListener<? super K> listener) {
    core.evictionListeners.add(requireNonNull(listener, "listener"));
  }

  /** Removes a listener added by {@link #addEvictionListener}. */
  public void removeEvictionListener(RegionEvictionListener<? super K> listener) {
    core.evictionListeners.remove(listener);
  }

  /** Hands queued region evictions to their caches now; statistics reads do this themselves. */
  public void drainEvictions() {
    core.region.drainEvictions();
  }

  /**
   * {@return a read-only view of this cache's statistics, whether or not they are enabled} Each
   * read first counts the evictions the region made meanwhile.
   */
  public CacheStatisticsView statistics() {
    return statisticsView;
  }

  /**
   * {@return the region's counters: capacity, bytes in use, evictions...} Of a closed region of
   * the cache's own: the counts as they were at close, and nothing committed, used or pinned.
   */
  public WeakAllocStats regionStats() {
    return core.region.stats();
  }

  /** {@return whether this cache has a region of its own rather than the manager's} */
  public boolean hasOwnRegion() {
    return core.ownsRegion;
  }

  /** {@return the number of mappings, counting expired or evicted ones not yet removed} */
  public long estimatedSize() {
    return core.map.mappingCount();
  }

  // --- the near tier ---

  /** {@return whether this cache is the near tier of a cache of another provider} */
  public boolean isNearCache() {
    return near != null;
  }

  /**
   * {@return the counts of the near tier: near hits and misses, invalidations by cause, backing
   * calls and their time}
   *
   * @throws IllegalStateException if this cache is not a near cache
   */
  public NearCacheStatistics nearStatistics() {
    return nearTier().statistics;
  }

  /**
   * Drops every near copy and registers the listener on the backing cache again; reads go to the
   * backing cache meanwhile (and, if the registration fails, until a later read registers it). For an engine's own signals that events may have been lost (a member
   * left, the client reconnected), which the JCache API does not carry: for example, call it from
   * a Hazelcast {@code MembershipListener} or {@code LifecycleListener}.
   *
   * @throws IllegalStateException if this cache is not a near cache, or is closed
   */
  public void invalidateNear() {
    core.checkOpen();
    nearTier().invalidateAll();
  }

  private NearTier<K, V> nearTier() {
    if (near == null) {
      throw new IllegalStateException("the cache " + name + " is not a near cache");
    }
    return near;
  }

  // --- configuration, management, lifecycle ---

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    if (clazz.isInstance(configuration)) {
      return clazz.cast(configuration);
    }
    throw new IllegalArgumentException("the configuration is not a " + clazz.getName());
  }

  /** {@return the live configuration; the MXBean reads it} */
  CompleteConfiguration<K, V> configuration() {
    return configuration;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    core.checkOpen();
    requireNonNull(listener, "listener");
    synchronized (configuration) {
      if (core.dispatcher.isRegistered(listener)) {
        throw new IllegalArgumentException("listener already registered: " + listener);
      }
      if (near != null) {
        nearListeners.register(listener); // throws if registered already
        configuration.addCacheEntryListenerConfiguration(listener);
        return;
      }
      core.dispatcher.register(listener); // throws if its factory does: then nothing is added
      core.awaitBlindPuts(); // a put that saw no listener lands before this returns
      configuration.addCacheEntryListenerConfiguration(listener);
    }
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    core.checkOpen();
    requireNonNull(listener, "listener");
    synchronized (configuration) {
      configuration.removeCacheEntryListenerConfiguration(listener);
      if (near != null) {
        nearListeners.deregister(listener);
      } else {
        core.dispatcher.deregister(listener);
      }
    }
  }

  /**
   * Destroys the backing cache on its engine if the manager-wide switch made it for this cache;
   * called by the manager's {@code destroyCache}, after {@link #close()}.
   */
  void destroyCarriedBacking() {
    if (backing != null && backing.carried() && !backing.manager().isClosed()) {
      backing.manager().destroyCache(backing.cache().getName());
    }
  }

  /**
   * Turns statistics on or off and registers or unregisters their MXBean; also on the backing
   * cache if the manager-wide switch made it, since its statistics are this cache's.
   */
  void setStatisticsEnabled(boolean enabled) {
    configuration.setStatisticsEnabled(enabled);
    core.statistics.setEnabled(enabled);
    if (carried != null) {
      backing.manager().enableStatistics(backing.cache().getName(), enabled);
      if (enabled) {
        carried.clear();
      }
    }
    var objectName = objectName(MBeanType.CacheStatistics);
    if (enabled) {
      JmxRegistration.register(objectName, statisticsView);
    } else {
      JmxRegistration.unregister(objectName);
    }
  }

  /** Turns management on or off and registers or unregisters the configuration MXBean. */
  void setManagementEnabled(boolean enabled) {
    configuration.setManagementEnabled(enabled);
    var objectName = objectName(MBeanType.CacheConfiguration);
    if (enabled) {
      JmxRegistration.register(objectName, new CacheConfigurationBean(this::configuration));
    } else {
      JmxRegistration.unregister(objectName);
    }
  }

  private javax.management.ObjectName objectName(MBeanType type) {
    return JmxRegistration.objectName(type, manager.getURI().toString(), name);
  }

  /**
   * The statistics, read-only (but for the JCache {@code clear()}): {@link #statistics()} and the
   * MXBean. Drains pending evictions before reading, so evictions are current. The MXBean's
   * figures of a near cache the manager-wide switch made are the backing cache's, with the near
   * hits added ({@link CarriedStatistics}); the always-on counts stay this cache's.
   */
  // CacheStatisticsMXBean named again: JMX finds an MXBean interface among a class's own interfaces.
  private final class StatisticsView
      implements CacheStatisticsView, javax.cache.management.CacheStatisticsMXBean {
    private CacheStatistics s() {
      core.region.drainEvictions();
      return core.statistics;
    }

    @Override
    public long hitCount() {
      return s().hitCount();
    }

    @Override
    public long missCount() {
      return s().missCount();
    }

    @Override
    public long putCount() {
      return s().putCount();
    }

    @Override
    public long removalCount() {
      return s().removalCount();
    }

    @Override
    public long evictionCount() {
      return s().evictionCount();
    }

    @Override
    public long expiryCount() {
      return s().expiryCount();
    }

    @Override
    public void clear() {
      core.statistics.clear();
      if (carried != null) {
        carried.clear();
      }
    }

    @Override
    public long getCacheHits() {
      return carried != null ? carried.hits() : s().getCacheHits();
    }

    @Override
    public float getCacheHitPercentage() {
      return carried != null ? carried.hitPercentage() : s().getCacheHitPercentage();
    }

    @Override
    public long getCacheMisses() {
      return carried != null ? carried.misses() : s().getCacheMisses();
    }

    @Override
    public float getCacheMissPercentage() {
      return carried != null ? carried.missPercentage() : s().getCacheMissPercentage();
    }

    @Override
    public long getCacheGets() {
      return carried != null ? carried.gets() : s().getCacheGets();
    }

    @Override
    public long getCachePuts() {
      return carried != null ? carried.backingCount("CachePuts") : s().getCachePuts();
    }

    @Override
    public long getCacheRemovals() {
      return carried != null ? carried.backingCount("CacheRemovals") : s().getCacheRemovals();
    }

    @Override
    public long getCacheEvictions() {
      return carried != null ? carried.backingCount("CacheEvictions") : s().getCacheEvictions();
    }

    @Override
    public float getAverageGetTime() {
      return carried != null ? carried.averageTime("Get") : s().getAverageGetTime();
    }

    @Override
    public float getAveragePutTime() {
      return carried != null ? carried.averageTime("Put") : s().getAveragePutTime();
    }

    @Override
    public float getAverageRemoveTime() {
      return carried != null ? carried.averageTime("Remove") : s().getAverageRemoveTime();
    }
  }

  @Override
  public void close() {
    if (core.closed) {
      return;
    }
    drainEvictions(); // count the evictions made before the close: the statistics are final now
    synchronized (this) {
      if (core.closed) {
        return;
      }
      core.closed = true;
    }
    manager.release(this);
    if (near != null) {
      near.close();
      nearListeners.deregisterAll(e ->
          LOG.log(System.Logger.Level.DEBUG, "cache " + name + ": deregistering a listener", e));
    }
    JmxRegistration.unregister(objectName(MBeanType.CacheStatistics));
    JmxRegistration.unregister(objectName(MBeanType.CacheConfiguration));
    core.freeAll();
    core.region.totals().leave(core.statistics);
    if (core.ownsRegion) {
      core.region.close();
    }
    core.dispatcher.close();
    Resources.closeQuietly(core.rawLoader);
    Resources.closeQuietly(core.writer == null ? null : core.writer.writer());
    Resources.closeQuietly(core.expiry.policy());
  }

  @Override
  public boolean isClosed() {
    return core.closed;
  }

  /**
   * {@inheritDoc} A near cache also unwraps to what its backing cache unwraps to (an engine's own
   * cache type, for example).
   */
  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    if (near != null) {
      return near.backing().unwrap(clazz);
    }
    throw new IllegalArgumentException("cannot unwrap the cache to " + clazz.getName());
  }

  @Override
  public String toString() {
    return "WeakAllocCache[" + name + "]";
  }
}
