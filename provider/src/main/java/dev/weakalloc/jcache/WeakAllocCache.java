package dev.weakalloc.jcache;

import static java.util.Objects.requireNonNull;

import dev.weakalloc.AllocationException;
import dev.weakalloc.Codec;
import dev.weakalloc.CodecException;
import dev.weakalloc.Codecs;
import dev.weakalloc.ValueTooLargeException;
import dev.weakalloc.WeakRef;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import dev.weakalloc.jcache.event.EventDispatcher;
import dev.weakalloc.jcache.expiry.ExpiryCalculator;
import dev.weakalloc.jcache.integration.LoaderAdapter;
import dev.weakalloc.jcache.integration.WriterAdapter;
import dev.weakalloc.jcache.internal.ComputeGuard;
import dev.weakalloc.jcache.internal.EvictionSink;
import dev.weakalloc.jcache.internal.KeyCopier;
import dev.weakalloc.jcache.internal.Outcome;
import dev.weakalloc.jcache.internal.Region;
import dev.weakalloc.jcache.internal.StoredEntry;
import dev.weakalloc.jcache.internal.Ticker;
import dev.weakalloc.jcache.management.CacheConfigurationBean;
import dev.weakalloc.jcache.management.CacheStatistics;
import dev.weakalloc.jcache.management.JmxRegistration;
import dev.weakalloc.jcache.management.JmxRegistration.MBeanType;
import dev.weakalloc.jcache.processor.EntryProcessorEntry;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.event.EventType;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * A JCache {@link Cache} whose keys live on the heap and whose values live off the heap, in a
 * region managed by a weak allocator, shared with the other caches of the manager unless the
 * cache asked for its own.
 *
 * <h2>Thread safety</h2>
 * Thread-safe. Mutations of one key are atomic: each runs in one {@link ConcurrentHashMap#compute}
 * of that key, which also calls the cache writer. A hit takes no lock: a map read, an expiry
 * check, and a decode of the value pinned by a compare-and-set. Listeners, statistics and the
 * eviction drain run after the computation, in the calling thread.
 *
 * <h2>Memory ownership</h2>
 * The region owns every value: {@code get} and friends return fresh on-heap copies, decoded by the
 * value codec; the caller owns them. Keys are copied on the way in unless they are immutable JDK
 * types. {@link #close()} frees the cache's values; closing a cache with its own region releases
 * the region's memory.
 *
 * <h2>Implementation notes</h2>
 * <b>Eviction.</b> When the region evicts a value, its {@code WeakRef} stops decoding and the
 * mapping reads as absent at once; the region queues the entry and a later {@link
 * Region#drainEvictions()} (after an operation, outside any computation) removes the mapping,
 * counts the eviction and tells the {@link RegionEvictionListener}s. A read that finds an evicted
 * value removes the mapping itself; the eviction is still counted once, by the drain.
 *
 * <p><b>Expiry.</b> Each entry holds its expiry time in ticker nanoseconds. Expired entries are
 * removed, their value freed and an {@code EXPIRED} event published when an operation meets them.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class WeakAllocCache<K, V> implements Cache<K, V> {
  private static final System.Logger LOG = System.getLogger(WeakAllocCache.class.getName());

  private final String name;
  private final WeakAllocCacheManager manager;
  private final WeakAllocConfiguration<K, V> configuration;
  private final Region region;
  private final boolean ownsRegion;
  private final Codec<V> codec;
  private final KeyCopier keyCopier;
  private final Ticker ticker;
  private final ExpiryCalculator expiry;
  private final LoaderAdapter<K, V> loader;
  private final CacheLoader<K, V> rawLoader;
  private final WriterAdapter<K, V> writer;
  private final Executor executor;
  private final EventDispatcher<K, V> dispatcher;
  private final CacheStatistics statistics;
  private final ConcurrentHashMap<K, StoredEntry<K, V>> map = new ConcurrentHashMap<>();
  private final List<RegionEvictionListener<? super K>> evictionListeners =
      new CopyOnWriteArrayList<>();
  private final Class<?> keyType;
  private final Class<?> valueType;
  private final EvictionSink evictionSink = this::onRegionEviction;
  private final boolean mayExpire;
  private final java.util.concurrent.atomic.AtomicBoolean sweeping =
      new java.util.concurrent.atomic.AtomicBoolean();
  // Guarded by sweeping.
  private Iterator<StoredEntry<K, V>> sweepCursor;
  private volatile boolean closed;

  /**
   * Creates a cache; called by the manager.
   *
   * @param region the region values go to: the manager's, or one made for this cache alone
   * @param ownsRegion whether closing the cache closes the region
   */
  WeakAllocCache(
      String name,
      WeakAllocCacheManager manager,
      WeakAllocConfiguration<K, V> configuration,
      Region region,
      boolean ownsRegion,
      Ticker ticker,
      Executor executor) {
    this.name = name;
    this.manager = manager;
    this.configuration = configuration;
    this.region = region;
    this.statistics = new CacheStatistics(region.totals());
    this.ownsRegion = ownsRegion;
    this.ticker = ticker;
    this.executor = executor;
    ClassLoader classLoader = manager.getClassLoader();
    this.codec =
        configuration.getCodec() != null
            ? configuration.getCodec()
            : Codecs.forClass(configuration.getValueType(), classLoader);
    this.keyCopier = new KeyCopier(classLoader);
    this.expiry = new ExpiryCalculator(configuration.getExpiryPolicyFactory().create());
    this.rawLoader =
        configuration.getCacheLoaderFactory() == null
            ? null
            : configuration.getCacheLoaderFactory().create();
    this.loader = rawLoader == null ? null : new LoaderAdapter<>(rawLoader);
    this.writer =
        configuration.isWriteThrough() && configuration.getCacheWriterFactory() != null
            ? new WriterAdapter<>(configuration.getCacheWriterFactory().create())
            : null;
    this.mayExpire = !(expiry.policy() instanceof javax.cache.expiry.EternalExpiryPolicy);
    this.keyType = configuration.getKeyType();
    this.valueType = configuration.getValueType();
    this.dispatcher = new EventDispatcher<>(this, executor);
    for (CacheEntryListenerConfiguration<K, V> listener :
        configuration.getCacheEntryListenerConfigurations()) {
      dispatcher.register(listener);
    }
    statistics.setEnabled(configuration.isStatisticsEnabled());
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

  // --- reads ---

  @Override
  public V get(K key) {
    checkOpen();
    requireNonNull(key, "key");
    boolean stats = statistics.isEnabled();
    long start = stats ? ticker.nanos() : 0L;
    V value = getIfLive(key);
    if (value == null) {
      statistics.recordMisses(1);
      if (loader != null && configuration.isReadThrough()) {
        value = loadAndStore(key);
      }
    } else {
      statistics.recordHits(1);
    }
    if (stats) {
      statistics.recordGetTime(ticker.nanos() - start);
    }
    return value;
  }

  /** The hit path: no lock, no allocation beyond the decoded copy. */
  private V getIfLive(Object key) {
    StoredEntry<K, V> entry = map.get(key);
    if (entry == null) {
      return null;
    }
    long now = 0L;
    if (entry.expireAt() != StoredEntry.ETERNAL) {
      now = ticker.nanos();
      if (entry.isExpired(now)) {
        expireNow(entry);
        return null;
      }
    }
    V value = entry.ref().getIfPresent();
    if (value == null) {
      map.remove(entry.key(), entry); // evicted; the drain counts it
      return null;
    }
    if (expiry.accessMatters()) {
      touch(entry, now == 0L ? ticker.nanos() : now);
    }
    return value;
  }

  private void touch(StoredEntry<K, V> entry, long now) {
    long at = expiry.onAccess(now);
    if (at != ExpiryCalculator.UNCHANGED) {
      entry.setExpireAt(at);
    }
  }

  /** Removes an expired entry met outside a computation, and announces it. */
  private void expireNow(StoredEntry<K, V> entry) {
    V old = dispatcher.wants(EventType.EXPIRED) ? entry.ref().getIfPresent() : null;
    if (map.remove(entry.key(), entry) && region.alloc().free(entry.ref())) {
      statistics.recordExpiries(1);
      dispatcher.expired(entry.key(), old);
    }
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    checkOpen();
    requireNonNullElements(keys, "keys");
    boolean stats = statistics.isEnabled();
    long start = stats ? ticker.nanos() : 0L;
    Map<K, V> result = new HashMap<>(Math.max(16, keys.size() * 2));
    Set<K> missing = new LinkedHashSet<>();
    for (K key : keys) {
      V value = getIfLive(key);
      if (value == null) {
        missing.add(key);
      } else {
        result.put(key, value);
      }
    }
    statistics.recordHits(result.size());
    statistics.recordMisses(missing.size());
    if (!missing.isEmpty() && loader != null && configuration.isReadThrough()) {
      Map<K, V> loaded = loadAllValues(missing);
      for (Map.Entry<K, V> e : loaded.entrySet()) {
        if (e.getKey() != null && e.getValue() != null && missing.contains(e.getKey())) {
          storeLoaded(e.getKey(), e.getValue(), true);
          result.put(e.getKey(), e.getValue());
        }
      }
    }
    if (stats) {
      statistics.recordGetTime(ticker.nanos() - start);
    }
    afterOperation();
    return result;
  }

  @Override
  public boolean containsKey(K key) {
    checkOpen();
    requireNonNull(key, "key");
    StoredEntry<K, V> entry = map.get(key);
    if (entry == null) {
      return false;
    }
    if (entry.expireAt() != StoredEntry.ETERNAL && entry.isExpired(ticker.nanos())) {
      expireNow(entry);
      return false;
    }
    return entry.ref().isPresent();
  }

  // --- loading ---

  private V loadValue(K key) {
    return loader.load(key);
  }

  private Map<K, V> loadAllValues(Set<K> keys) {
    return loader.loadAll(keys);
  }

  private V loadAndStore(K key) {
    V value = loadValue(key);
    if (value != null) {
      storeLoaded(key, value, false);
      afterOperation();
    }
    return value;
  }

  /** Stores a loaded value without writing it through. */
  private void storeLoaded(K key, V value, boolean replaceExisting) {
    checkValue(value);
    K stored = keyCopier.copy(key);
    Outcome<K, V> out = new Outcome<>();
    boolean wantOld = dispatcher.wantsOldValue(EventType.UPDATED);
    compute(stored, (k, old) -> {
      long now = ticker.nanos();
      StoredEntry<K, V> live = live(old, now, out);
      if (live != null && !replaceExisting) {
        return live;
      }
      if (live != null && wantOld) {
        out.oldValue = live.ref().getIfPresent();
      }
      return store(k, value, live, now, out, false);
    });
    publishStored(stored, value, out);
    finish(out);
  }

  @Override
  public void loadAll(
      Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
    checkOpen();
    requireNonNullElements(keys, "keys");
    CompletionListener done = listener == null ? NullCompletionListener.INSTANCE : listener;
    if (loader == null) {
      done.onCompletion();
      return;
    }
    executor.execute(() -> {
      try {
        Set<K> toLoad = new LinkedHashSet<>();
        for (K key : keys) {
          if (replaceExistingValues || !containsKey(key)) {
            toLoad.add(key);
          }
        }
        Map<K, V> loaded = loadAllValues(toLoad);
        for (Map.Entry<K, V> e : loaded.entrySet()) {
          if (e.getKey() != null && e.getValue() != null) {
            storeLoaded(e.getKey(), e.getValue(), replaceExistingValues);
          }
        }
        afterOperation();
        done.onCompletion();
      } catch (RuntimeException e) {
        done.onException(
            e instanceof CacheLoaderException ? e : new CacheLoaderException("loadAll failed", e));
      }
    });
  }

  private enum NullCompletionListener implements CompletionListener {
    INSTANCE;

    @Override
    public void onCompletion() {}

    @Override
    public void onException(Exception e) {}
  }

  // --- writes ---

  @Override
  public void put(K key, V value) {
    putAndMaybeGet(key, value, false);
  }

  @Override
  public V getAndPut(K key, V value) {
    return putAndMaybeGet(key, value, true);
  }

  private V putAndMaybeGet(K key, V value, boolean returnOld) {
    checkOpen();
    checkKey(key);
    checkValue(value);
    boolean stats = statistics.isEnabled();
    long start = stats ? ticker.nanos() : 0L;
    K stored = keyCopier.copy(key);
    Outcome<K, V> out = new Outcome<>();
    boolean wantOld = returnOld || dispatcher.wantsOldValue(EventType.UPDATED);
    try {
      compute(stored, (k, old) -> {
        long now = ticker.nanos();
        StoredEntry<K, V> live = live(old, now, out);
        if (live != null) {
          out.hit = true;
          if (wantOld) {
            out.oldValue = live.ref().getIfPresent();
          }
        }
        return store(k, value, live, now, out, true);
      });
    } finally {
      finish(out);
    }
    if (returnOld) {
      recordHitOrMiss(out.hit);
    }
    if (out.stored) {
      statistics.recordPuts(1);
    }
    if (stats) {
      statistics.recordPutTime(ticker.nanos() - start);
    }
    publishStored(stored, value, out);
    return out.oldValue;
  }

  /**
   * Inside a computation: makes the entry that replaces {@code live} (null if absent), writing
   * through if asked. Returns null when the new value expires on arrival. On failure (codec, room,
   * writer) throws and leaves the mapping as it was.
   */
  private StoredEntry<K, V> store(
      K key, V value, StoredEntry<K, V> live, long now, Outcome<K, V> out, boolean writeThrough) {
    long at = live == null ? expiry.onCreate(now) : expiry.onUpdate(now);
    if (at == ExpiryCalculator.UNCHANGED) {
      at = live.expireAt();
    }
    StoredEntry<K, V> entry = at <= now ? null : newEntry(key, value, at);
    if (writeThrough && writer != null) {
      try {
        writeThrough(key, value);
      } catch (RuntimeException e) {
        if (entry != null) {
          region.alloc().free(entry.ref());
        }
        throw e;
      }
    }
    if (live != null) {
      region.alloc().free(live.ref());
    }
    if (entry != null) {
      out.stored = true;
      out.updated = live != null;
    }
    return entry;
  }

  private StoredEntry<K, V> newEntry(K key, V value, long expireAt) {
    StoredEntry<K, V> entry = new StoredEntry<>(key, evictionSink);
    entry.bind(give(value, entry), expireAt);
    return entry;
  }

  private WeakRef<V> give(V value, StoredEntry<K, V> tag) {
    try {
      return region.alloc().give(value, codec, tag);
    } catch (ValueTooLargeException e) {
      throw new CacheException(
          "cache " + name + ": the value is too large for the region (" + e.getMessage() + ")", e);
    } catch (AllocationException e) {
      throw new CacheException("cache " + name + ": no room for the value: " + e.getMessage(), e);
    } catch (CodecException e) {
      throw new CacheException("cache " + name + ": cannot encode the value: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("cache " + name + ": the region is closed", e);
    }
  }

  private void writeThrough(K key, V value) {
    writer.write(key, value);
  }

  private void deleteThrough(Object key) {
    writer.delete(key);
  }

  private void publishStored(K key, V value, Outcome<K, V> out) {
    if (out.stored) {
      if (out.updated) {
        dispatcher.updated(key, value, out.oldValue);
      } else {
        dispatcher.created(key, value);
      }
    }
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> entries) {
    checkOpen();
    requireNonNull(entries, "entries");
    for (Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
      checkKey(e.getKey());
      checkValue(e.getValue());
    }
    boolean stats = statistics.isEnabled();
    long start = stats ? ticker.nanos() : 0L;
    Map<? extends K, ? extends V> toStore = entries;
    CacheWriterException failure = null;
    if (writer != null) {
      List<Cache.Entry<? extends K, ? extends V>> batch = new ArrayList<>(entries.size());
      for (Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
        batch.add(new CacheEntry<>(e.getKey(), e.getValue()));
      }
      failure = writer.writeAll(batch);
      if (failure != null) {
        Set<Object> failed = new HashSet<>();
        for (Cache.Entry<? extends K, ? extends V> e2 : batch) {
          failed.add(e2.getKey());
        }
        Map<K, V> written = new HashMap<>();
        for (Map.Entry<? extends K, ? extends V> e2 : entries.entrySet()) {
          if (!failed.contains(e2.getKey())) {
            written.put(e2.getKey(), e2.getValue());
          }
        }
        toStore = written;
      }
    }
    int puts = 0;
    for (Map.Entry<? extends K, ? extends V> e : toStore.entrySet()) {
      if (putWithoutWriter(e.getKey(), e.getValue())) {
        puts++;
      }
    }
    statistics.recordPuts(puts);
    if (stats) {
      statistics.recordPutTime(ticker.nanos() - start);
    }
    if (failure != null) {
      throw failure;
    }
  }

  private boolean putWithoutWriter(K key, V value) {
    K stored = keyCopier.copy(key);
    Outcome<K, V> out = new Outcome<>();
    boolean wantOld = dispatcher.wantsOldValue(EventType.UPDATED);
    try {
      compute(stored, (k, old) -> {
        long now = ticker.nanos();
        StoredEntry<K, V> live = live(old, now, out);
        if (live != null && wantOld) {
          out.oldValue = live.ref().getIfPresent();
        }
        return store(k, value, live, now, out, false);
      });
    } finally {
      finish(out);
    }
    publishStored(stored, value, out);
    return out.stored;
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    checkOpen();
    checkKey(key);
    checkValue(value);
    boolean stats = statistics.isEnabled();
    long start = stats ? ticker.nanos() : 0L;
    K stored = keyCopier.copy(key);
    Outcome<K, V> out = new Outcome<>();
    try {
      compute(stored, (k, old) -> {
        long now = ticker.nanos();
        StoredEntry<K, V> live = live(old, now, out);
        if (live != null) {
          out.hit = true;
          return live;
        }
        return store(k, value, null, now, out, true);
      });
    } finally {
      finish(out);
    }
    recordHitOrMiss(out.hit);
    if (out.stored) {
      statistics.recordPuts(1);
    }
    if (stats) {
      statistics.recordPutTime(ticker.nanos() - start);
    }
    publishStored(stored, value, out);
    return !out.hit;
  }

  // --- removes ---

  @Override
  public boolean remove(K key) {
    checkOpen();
    requireNonNull(key, "key");
    boolean stats = statistics.isEnabled();
    long start = stats ? ticker.nanos() : 0L;
    Outcome<K, V> out = removeInternal(key, null, false, writer != null);
    if (out.removed) {
      statistics.recordRemovals(1);
    }
    if (stats) {
      statistics.recordRemoveTime(ticker.nanos() - start);
    }
    return out.removed;
  }

  @Override
  public boolean remove(K key, V oldValue) {
    checkOpen();
    requireNonNull(key, "key");
    requireNonNull(oldValue, "oldValue");
    boolean stats = statistics.isEnabled();
    long start = stats ? ticker.nanos() : 0L;
    Outcome<K, V> out = removeInternal(key, oldValue, false, writer != null);
    recordHitOrMiss(out.hit);
    if (out.removed) {
      statistics.recordRemovals(1);
    }
    if (stats) {
      statistics.recordRemoveTime(ticker.nanos() - start);
    }
    return out.removed;
  }

  @Override
  public V getAndRemove(K key) {
    checkOpen();
    requireNonNull(key, "key");
    boolean stats = statistics.isEnabled();
    long start = stats ? ticker.nanos() : 0L;
    Outcome<K, V> out = removeInternal(key, null, true, writer != null);
    recordHitOrMiss(out.removed);
    if (out.removed) {
      statistics.recordRemovals(1);
    }
    if (stats) {
      statistics.recordRemoveTime(ticker.nanos() - start);
    }
    return out.oldValue;
  }

  /**
   * Removes {@code key}, only if its value equals {@code expected} when that is not null. The
   * writer deletes the key whenever the removal is unconditional.
   */
  private Outcome<K, V> removeInternal(
      Object key, V expected, boolean returnOld, boolean writeThrough) {
    Outcome<K, V> out = new Outcome<>();
    boolean wantOld = returnOld || expected != null || dispatcher.wantsOldValue(EventType.REMOVED);
    @SuppressWarnings("unchecked")
    K k0 = (K) key;
    try {
      compute(k0, (k, old) -> {
        long now = ticker.nanos();
        StoredEntry<K, V> live = live(old, now, out);
        V current = live != null && wantOld ? live.ref().getIfPresent() : null;
        if (live != null && wantOld && current == null) {
          live = null; // evicted meanwhile
        }
        out.hit = live != null;
        if (expected != null) {
          if (live == null) {
            return null;
          }
          if (!expected.equals(current)) {
            if (expiry.accessMatters()) {
              touch(live, now);
            }
            return live;
          }
        }
        if (writeThrough) {
          deleteThrough(k);
        }
        if (live == null) {
          return null;
        }
        region.alloc().free(live.ref());
        out.removed = true;
        out.oldValue = current;
        return null;
      });
    } finally {
      finish(out);
    }
    if (out.removed) {
      dispatcher.removed(k0, out.oldValue);
    }
    return out;
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    checkOpen();
    requireNonNullElements(keys, "keys");
    removeKeys(new LinkedHashSet<>(keys));
  }

  @Override
  public void removeAll() {
    checkOpen();
    removeKeys(new LinkedHashSet<>(map.keySet()));
  }

  private void removeKeys(Set<K> keys) {
    boolean stats = statistics.isEnabled();
    long start = stats ? ticker.nanos() : 0L;
    CacheWriterException failure = null;
    Set<K> toRemove = keys;
    if (writer != null && !keys.isEmpty()) {
      Set<K> batch = new LinkedHashSet<>(keys);
      failure = writer.deleteAll(batch);
      if (failure != null) {
        toRemove = new LinkedHashSet<>(keys);
        toRemove.removeAll(batch);
      }
    }
    int removals = 0;
    for (K key : toRemove) {
      if (removeInternal(key, null, false, false).removed) {
        removals++;
      }
    }
    statistics.recordRemovals(removals);
    if (stats) {
      statistics.recordRemoveTime(ticker.nanos() - start);
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void clear() {
    checkOpen();
    for (StoredEntry<K, V> entry : map.values()) {
      if (map.remove(entry.key(), entry)) {
        region.alloc().free(entry.ref());
      }
    }
    afterOperation();
  }

  // --- replaces ---

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    checkOpen();
    checkKey(key);
    requireNonNull(oldValue, "oldValue");
    checkValue(newValue);
    return replaceInternal(key, oldValue, newValue, false).stored;
  }

  @Override
  public boolean replace(K key, V value) {
    checkOpen();
    checkKey(key);
    checkValue(value);
    return replaceInternal(key, null, value, false).stored;
  }

  @Override
  public V getAndReplace(K key, V value) {
    checkOpen();
    checkKey(key);
    checkValue(value);
    return replaceInternal(key, null, value, true).oldValue;
  }

  private Outcome<K, V> replaceInternal(K key, V expected, V value, boolean returnOld) {
    boolean stats = statistics.isEnabled();
    long start = stats ? ticker.nanos() : 0L;
    Outcome<K, V> out = new Outcome<>();
    boolean wantOld = returnOld || expected != null || dispatcher.wantsOldValue(EventType.UPDATED);
    K stored = keyCopier.copy(key);
    try {
      compute(stored, (k, old) -> {
        long now = ticker.nanos();
        StoredEntry<K, V> live = live(old, now, out);
        V current = live != null && wantOld ? live.ref().getIfPresent() : null;
        if (live == null || (wantOld && current == null)) {
          return live;
        }
        out.hit = true;
        out.oldValue = current;
        if (expected != null && !expected.equals(current)) {
          if (expiry.accessMatters()) {
            touch(live, now);
          }
          return live;
        }
        return store(k, value, live, now, out, true);
      });
    } finally {
      finish(out);
    }
    recordHitOrMiss(out.hit);
    if (out.stored) {
      statistics.recordPuts(1);
    }
    if (stats) {
      statistics.recordPutTime(ticker.nanos() - start);
    }
    publishStored(stored, value, out);
    if (!returnOld) {
      out.oldValue = out.stored ? out.oldValue : null;
    }
    return out;
  }

  // --- entry processors ---

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    checkOpen();
    requireNonNull(key, "key");
    requireNonNull(processor, "processor");
    boolean stats = statistics.isEnabled();
    long start = stats ? ticker.nanos() : 0L;
    K stored = keyCopier.copy(key);
    Outcome<K, V> out = new Outcome<>();
    Object[] result = new Object[1];
    EntryProcessorEntry<K, V>[] processed = newEntryArray();
    try {
      compute(stored, (k, old) -> {
        long now = ticker.nanos();
        StoredEntry<K, V> live = live(old, now, out);
        V current = live == null ? null : live.ref().getIfPresent();
        if (current == null) {
          live = null;
        }
        out.hit = live != null;
        var entry = new EntryProcessorEntry<>(k, current, readThroughLoader());
        processed[0] = entry;
        try {
          result[0] = processor.process(entry, arguments);
        } catch (EntryProcessorException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new EntryProcessorException(e);
        }
        return apply(k, live, current, entry, now, out);
      });
    } catch (EntryProcessorException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new EntryProcessorException(e);
    } finally {
      finish(out);
    }
    recordHitOrMiss(out.hit);
    if (out.stored) {
      statistics.recordPuts(1);
    }
    if (out.removed) {
      statistics.recordRemovals(1);
    }
    EntryProcessorEntry<K, V> entry = processed[0];
    if (out.removed) {
      dispatcher.removed(stored, out.oldValue);
    } else {
      publishStored(stored, entry.value(), out);
    }
    @SuppressWarnings("unchecked")
    T t = (T) result[0];
    return t;
  }

  @SuppressWarnings("unchecked")
  private static <K, V> EntryProcessorEntry<K, V>[] newEntryArray() {
    return (EntryProcessorEntry<K, V>[]) new EntryProcessorEntry<?, ?>[1];
  }

  private java.util.function.Function<K, V> readThroughLoader() {
    return loader != null && configuration.isReadThrough() ? this::loadValue : null;
  }

  /** Inside a computation: applies what the processor did. */
  private StoredEntry<K, V> apply(
      K key,
      StoredEntry<K, V> live,
      V current,
      EntryProcessorEntry<K, V> entry,
      long now,
      Outcome<K, V> out) {
    switch (entry.action()) {
      case NONE -> {
        return live;
      }
      case READ -> {
        if (expiry.accessMatters()) {
          touch(live, now);
        }
        return live;
      }
      case LOADED -> {
        return store(key, checkValue(entry.value()), null, now, out, false);
      }
      case CREATED, UPDATED -> {
        out.oldValue = current;
        return store(key, checkValue(entry.value()), live, now, out, true);
      }
      case DELETED -> {
        if (writer != null) {
          deleteThrough(key);
        }
        if (live != null) {
          region.alloc().free(live.ref());
          out.removed = true;
          out.oldValue = current;
        }
        return null;
      }
    }
    throw new AssertionError(entry.action());
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(
      Set<? extends K> keys, EntryProcessor<K, V, T> processor, Object... arguments) {
    checkOpen();
    requireNonNullElements(keys, "keys");
    requireNonNull(processor, "processor");
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = invoke(key, processor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (EntryProcessorException e) {
        results.put(key, () -> {
          throw e;
        });
      }
    }
    return results;
  }

  // --- iteration ---

  @Override
  public Iterator<Cache.Entry<K, V>> iterator() {
    checkOpen();
    return new EntryIterator();
  }

  /** Walks the map, skipping expired and evicted entries; each entry returned counts a hit. */
  private final class EntryIterator implements Iterator<Cache.Entry<K, V>> {
    private final Iterator<StoredEntry<K, V>> entries = map.values().iterator();
    private Cache.Entry<K, V> next;
    private Cache.Entry<K, V> last;

    @Override
    public boolean hasNext() {
      while (next == null && entries.hasNext()) {
        StoredEntry<K, V> entry = entries.next();
        long now = ticker.nanos();
        if (entry.isExpired(now)) {
          expireNow(entry);
          continue;
        }
        V value = entry.ref().getIfPresent();
        if (value != null) {
          if (expiry.accessMatters()) {
            touch(entry, now);
          }
          next = new CacheEntry<>(entry.key(), value);
        }
      }
      return next != null;
    }

    @Override
    public Cache.Entry<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      last = next;
      next = null;
      statistics.recordHits(1);
      return last;
    }

    @Override
    public void remove() {
      if (last == null) {
        throw new IllegalStateException("next() was not called, or remove() was already");
      }
      checkOpen();
      WeakAllocCache.this.remove(last.getKey());
      last = null;
    }
  }

  // --- computation helpers ---

  private void compute(
      K key, BiFunction<? super K, ? super StoredEntry<K, V>, ? extends StoredEntry<K, V>> fn) {
    int[] depth = ComputeGuard.enter();
    try {
      map.compute(key, fn);
    } finally {
      ComputeGuard.exit(depth);
    }
  }

  /**
   * Inside a computation: returns {@code old} if it is live; frees it and notes the expiry if it
   * expired; returns null if it is absent, expired or evicted.
   */
  private StoredEntry<K, V> live(StoredEntry<K, V> old, long now, Outcome<K, V> out) {
    if (old == null) {
      return null;
    }
    if (old.isExpired(now)) {
      V value = dispatcher.wants(EventType.EXPIRED) ? old.ref().getIfPresent() : null;
      if (region.alloc().free(old.ref())) {
        out.expired = true;
        out.expiredKey = old.key();
        out.expiredValue = value;
      }
      return null;
    }
    return old.ref().isPresent() ? old : null;
  }

  /** After a computation: announces an expiry met, and drains region evictions. */
  private void finish(Outcome<K, V> out) {
    if (out.expired) {
      statistics.recordExpiries(1);
      dispatcher.expired(out.expiredKey, out.expiredValue);
    }
    afterOperation();
  }

  private void afterOperation() {
    region.drainEvictions();
    if (mayExpire && java.util.concurrent.ThreadLocalRandom.current().nextInt(SWEEP_ODDS) == 0) {
      sweepExpired(SWEEP_BATCH);
    }
  }

  private static final int SWEEP_ODDS = 16;
  private static final int SWEEP_BATCH = 32;

  /**
   * Removes expired entries that no operation meets, so that their values leave the region: about
   * one write in {@value #SWEEP_ODDS} examines the next {@value #SWEEP_BATCH} entries of a cursor
   * that cycles through the map. Never inside a computation, and one sweeper at a time.
   */
  private void sweepExpired(int batch) {
    if (ComputeGuard.inside() || !sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      long now = ticker.nanos();
      for (int i = 0; i < batch; i++) {
        if (sweepCursor == null || !sweepCursor.hasNext()) {
          sweepCursor = map.values().iterator();
          if (!sweepCursor.hasNext()) {
            return;
          }
        }
        StoredEntry<K, V> entry = sweepCursor.next();
        if (entry.isExpired(now)) {
          expireNow(entry);
        }
      }
    } finally {
      sweeping.set(false);
    }
  }

  private void recordHitOrMiss(boolean hit) {
    if (hit) {
      statistics.recordHits(1);
    } else {
      statistics.recordMisses(1);
    }
  }

  // --- region evictions ---

  /** Called by the region's drain: the value of {@code entry} was evicted. */
  private void onRegionEviction(StoredEntry<?, ?> entry) {
    @SuppressWarnings("unchecked")
    StoredEntry<K, V> evicted = (StoredEntry<K, V>) entry;
    if (closed) {
      return;
    }
    map.remove(evicted.key(), evicted);
    statistics.recordEvictions(1);
    for (RegionEvictionListener<? super K> listener : evictionListeners) {
      try {
        listener.onEviction(evicted.key());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a region eviction listener threw; ignored", e);
      }
    }
  }

  /** Adds a listener told of each key whose value the region evicted. */
  public void addEvictionListener(RegionEvictionListener<? super K> listener) {
    evictionListeners.add(requireNonNull(listener, "listener"));
  }

  /** Removes a listener added by {@link #addEvictionListener}. */
  public void removeEvictionListener(RegionEvictionListener<? super K> listener) {
    evictionListeners.remove(listener);
  }

  /** Hands queued region evictions to their caches now; statistics reads do this themselves. */
  public void drainEvictions() {
    region.drainEvictions();
  }

  /** {@return the statistics of this cache, whether or not they are enabled} */
  public CacheStatistics statistics() {
    region.drainEvictions();
    return statistics;
  }

  /** {@return the region's counters: capacity, bytes in use, evictions...} */
  public dev.weakalloc.WeakAllocStats regionStats() {
    return region.stats();
  }

  /** {@return whether this cache has a region of its own rather than the manager's} */
  public boolean hasOwnRegion() {
    return ownsRegion;
  }

  /** {@return the number of mappings, counting expired or evicted ones not yet removed} */
  public long estimatedSize() {
    return map.mappingCount();
  }

  // --- argument checks ---

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the cache " + name + " is closed");
    }
  }

  private void checkKey(K key) {
    requireNonNull(key, "key");
    if (keyType != Object.class && !keyType.isInstance(key)) {
      throw new ClassCastException(
          "cache " + name + " holds keys of " + keyType.getName() + ", not " + key.getClass().getName());
    }
  }

  private V checkValue(V value) {
    requireNonNull(value, "value");
    if (valueType != Object.class && !valueType.isInstance(value)) {
      throw new ClassCastException(
          "cache " + name + " holds values of " + valueType.getName() + ", not "
              + value.getClass().getName());
    }
    return value;
  }

  private static void requireNonNullElements(Collection<?> items, String what) {
    requireNonNull(items, what);
    for (Object item : items) {
      requireNonNull(item, "an element of " + what);
    }
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
    checkOpen();
    requireNonNull(listener, "listener");
    synchronized (configuration) {
      if (dispatcher.isRegistered(listener)) {
        throw new IllegalArgumentException("listener already registered: " + listener);
      }
      configuration.addCacheEntryListenerConfiguration(listener);
      dispatcher.register(listener);
    }
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    checkOpen();
    requireNonNull(listener, "listener");
    synchronized (configuration) {
      configuration.removeCacheEntryListenerConfiguration(listener);
      dispatcher.deregister(listener);
    }
  }

  /** Turns statistics on or off and registers or unregisters their MXBean. */
  void setStatisticsEnabled(boolean enabled) {
    configuration.setStatisticsEnabled(enabled);
    statistics.setEnabled(enabled);
    var objectName = objectName(MBeanType.CacheStatistics);
    if (enabled) {
      JmxRegistration.register(objectName, new StatisticsView());
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

  /** The statistics MXBean: drains pending evictions before reading, so evictions are current. */
  private final class StatisticsView implements javax.cache.management.CacheStatisticsMXBean {
    private CacheStatistics s() {
      return statistics();
    }

    @Override
    public void clear() {
      statistics.clear();
    }

    @Override
    public long getCacheHits() {
      return s().getCacheHits();
    }

    @Override
    public float getCacheHitPercentage() {
      return s().getCacheHitPercentage();
    }

    @Override
    public long getCacheMisses() {
      return s().getCacheMisses();
    }

    @Override
    public float getCacheMissPercentage() {
      return s().getCacheMissPercentage();
    }

    @Override
    public long getCacheGets() {
      return s().getCacheGets();
    }

    @Override
    public long getCachePuts() {
      return s().getCachePuts();
    }

    @Override
    public long getCacheRemovals() {
      return s().getCacheRemovals();
    }

    @Override
    public long getCacheEvictions() {
      return s().getCacheEvictions();
    }

    @Override
    public float getAverageGetTime() {
      return s().getAverageGetTime();
    }

    @Override
    public float getAveragePutTime() {
      return s().getAveragePutTime();
    }

    @Override
    public float getAverageRemoveTime() {
      return s().getAverageRemoveTime();
    }
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
    manager.release(this);
    JmxRegistration.unregister(objectName(MBeanType.CacheStatistics));
    JmxRegistration.unregister(objectName(MBeanType.CacheConfiguration));
    for (StoredEntry<K, V> entry : map.values()) {
      if (map.remove(entry.key(), entry)) {
        region.alloc().free(entry.ref());
      }
    }
    if (ownsRegion) {
      region.close();
    }
    dispatcher.close();
    closeQuietly(rawLoader);
    closeQuietly(writer == null ? null : writer.writer());
    closeQuietly(expiry.policy());
  }

  private static void closeQuietly(Object resource) {
    if (resource instanceof Closeable closeable) {
      try {
        closeable.close();
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "closing " + resource + " failed", e);
      }
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap the cache to " + clazz.getName());
  }

  @Override
  public String toString() {
    return "WeakAllocCache[" + name + "]";
  }
}
