package dev.weakalloc.jcache;

import static java.util.Objects.requireNonNull;

import dev.weakalloc.AllocationException;
import dev.weakalloc.CodecException;
import dev.weakalloc.Codecs;
import dev.weakalloc.ValueTooLargeException;
import dev.weakalloc.WeakRef;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import dev.weakalloc.jcache.event.EventDispatcher;
import dev.weakalloc.jcache.expiry.ExpiryCalculator;
import dev.weakalloc.jcache.integration.LoaderAdapter;
import dev.weakalloc.jcache.integration.WriterAdapter;
import dev.weakalloc.jcache.internal.CacheCodec;
import dev.weakalloc.jcache.internal.ComputeGuard;
import dev.weakalloc.jcache.internal.EvictionSink;
import dev.weakalloc.jcache.internal.InFlight;
import dev.weakalloc.jcache.internal.KeyCopier;
import dev.weakalloc.jcache.internal.Outcome;
import dev.weakalloc.jcache.internal.Region;
import dev.weakalloc.jcache.internal.Ticker;
import dev.weakalloc.jcache.management.CacheStatistics;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import javax.cache.CacheException;
import javax.cache.event.EventType;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.integration.CacheLoader;

/**
 * The state of one {@link WeakAllocCache} and the steps its operations share: the map of entries,
 * the region, codec, expiry, loader, writer, events and statistics; running a mutation in one
 * {@code ConcurrentHashMap.compute} (or, for a put that needs nothing of the old entry, one {@code
 * ConcurrentHashMap.put}: {@link #putBlindly}); making, replacing and freeing entries; what follows
 * an operation (announcing an expiry, draining region evictions, sweeping expired entries); and
 * the region's eviction callback.
 *
 * <p>The operations themselves live in {@link CacheReads}, {@link CacheWrites}, {@link
 * CacheEntryProcessing} and {@link CacheIterator}; the cache's implementation notes say how they
 * fit together.
 *
 * <p>Thread safety: thread-safe. Methods documented "inside a computation" run within the {@code
 * compute} of the key they handle and must not touch other keys of the map; the others never run
 * inside one.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheCore<K, V> implements EvictionSink {
  private static final System.Logger LOG = System.getLogger(WeakAllocCache.class.getName());
  private static final int SWEEP_ODDS = 16;
  private static final int SWEEP_BATCH = 32;

  final String name;
  final WeakAllocConfiguration<K, V> configuration;
  final Region region;
  final boolean ownsRegion;
  final CacheCodec<V> codec;
  final KeyCopier keyCopier;
  final Ticker ticker;
  final ExpiryCalculator expiry;
  /** Whether no entry ever expires (exactly {@link EternalExpiryPolicy}): no clock is read. */
  final boolean eternal;
  final LoaderAdapter<K, V> loader;
  final CacheLoader<K, V> rawLoader;
  final WriterAdapter<K, V> writer;
  final Executor executor;
  final EventDispatcher<K, V> dispatcher;
  final CacheStatistics statistics;
  final ConcurrentHashMap<K, WeakRef<V>> map = new ConcurrentHashMap<>();
  /** Puts in flight that checked for listeners and found none: see {@link #awaitBlindPuts}. */
  final InFlight blindPuts = new InFlight();
  final List<RegionEvictionListener<? super K>> evictionListeners = new CopyOnWriteArrayList<>();
  private final Class<?> keyType;
  private final Class<?> valueType;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  // Guarded by sweeping.
  private Iterator<WeakRef<V>> sweepCursor;
  volatile boolean closed;

  CacheCore(
      WeakAllocCache<K, V> cache,
      String name,
      ClassLoader classLoader,
      WeakAllocConfiguration<K, V> configuration,
      Region region,
      boolean ownsRegion,
      Ticker ticker,
      Executor executor) {
    this.name = name;
    this.configuration = configuration;
    this.region = region;
    this.statistics = new CacheStatistics();
    region.totals().join(statistics);
    this.ownsRegion = ownsRegion;
    this.ticker = ticker;
    this.executor = executor;
    this.codec =
        new CacheCodec<>(
            configuration.getCodec() != null
                ? configuration.getCodec()
                : Codecs.forClass(configuration.getValueType(), classLoader),
            this);
    this.keyCopier = new KeyCopier(classLoader);
    this.expiry = new ExpiryCalculator(configuration.getExpiryPolicyFactory().create());
    this.eternal = expiry.policy().getClass() == EternalExpiryPolicy.class;
    this.rawLoader =
        configuration.getCacheLoaderFactory() == null
            ? null
            : configuration.getCacheLoaderFactory().create();
    this.loader = rawLoader == null ? null : new LoaderAdapter<>(rawLoader);
    this.writer =
        configuration.isWriteThrough() && configuration.getCacheWriterFactory() != null
            ? new WriterAdapter<>(configuration.getCacheWriterFactory().create())
            : null;
    this.keyType = configuration.getKeyType();
    this.valueType = configuration.getValueType();
    this.dispatcher = new EventDispatcher<>(cache, executor);
    statistics.setEnabled(configuration.isStatisticsEnabled());
  }

  /** {@return the time for expiry decisions: the ticker, or 0 when no entry ever expires} */
  long now() {
    return eternal ? 0L : ticker.nanos();
  }

  /** {@return whether reads go through the loader on a miss} */
  boolean readsThrough() {
    return loader != null && configuration.isReadThrough();
  }

  // --- computations ---

  /** Stripes of {@link #awaitEventTurn}: 64 locks, picked by a spread of the key's hash. */
  private final ReentrantLock[] eventTurns = newEventTurns();

  private static ReentrantLock[] newEventTurns() {
    ReentrantLock[] turns = new ReentrantLock[64];
    for (int i = 0; i < turns.length; i++) {
      turns[i] = new ReentrantLock();
    }
    return turns;
  }

  /**
   * Keeps each key's events in the order of its operations, when somebody listens. An operation
   * changes the map in a computation and announces the change after it (listeners never run
   * inside a computation); two operations on one key could otherwise announce in the other order
   * than they changed the map. So an operation holds its key's stripe from before its computation
   * until its events are published (synchronous listeners have run, asynchronous ones have their
   * events queued): operations on one key, and on the keys sharing its stripe, take turns. The lock
   * is reentrant, so a synchronous listener may write to the cache from its own thread; a
   * listener that waits for another thread's write to a key of the same stripe would wait for
   * ever. Without listeners no turn is taken.
   *
   * @return the stripe's lock, held, for {@link #endEventTurn}; or null when no listener is
   *     registered
   */
  ReentrantLock awaitEventTurn(Object key) {
    if (!dispatcher.hasListeners()) {
      return null;
    }
    ReentrantLock turn = eventTurns[(key.hashCode() * 0x9E3779B9) >>> 26];
    turn.lock();
    return turn;
  }

  /**
   * One operation on {@code key}: {@code fn} as its computation; then, outside it, {@link #finish}
   * and {@code announce} (the operation's statistics and events), all within the key's {@linkplain
   * #awaitEventTurn event turn}. {@code finish} runs even if the computation throws; {@code
   * announce} only if it returned.
   */
  void computeAndAnnounce(
      K key,
      Outcome<K, V> out,
      BiFunction<? super K, ? super WeakRef<V>, ? extends WeakRef<V>> fn,
      Runnable announce) {
    ReentrantLock turn = awaitEventTurn(key);
    try {
      try {
        compute(key, fn);
      } finally {
        finish(out);
      }
      announce.run();
    } finally {
      endEventTurn(turn);
    }
  }

  /** Ends a turn {@link #awaitEventTurn} began (null: none was taken). */
  static void endEventTurn(ReentrantLock turn) {
    if (turn != null) {
      turn.unlock();
    }
  }

  /** Runs {@code fn} as the one computation of {@code key}, marked for {@link ComputeGuard}. */
  void compute(
      K key, BiFunction<? super K, ? super WeakRef<V>, ? extends WeakRef<V>> fn) {
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
  WeakRef<V> live(WeakRef<V> old, long now, Outcome<K, V> out) {
    if (old == null) {
      return null;
    }
    if (isExpired(old, now)) {
      V value = dispatcher.wants(EventType.EXPIRED) ? valueOf(old) : null;
      if (region.alloc().free(old)) {
        out.expired = true;
        out.expiredKey = keyOf(old);
        out.expiredValue = value;
      }
      return null;
    }
    return old.isPresent() ? old : null;
  }

  /**
   * Inside a computation: makes the entry that replaces {@code live} (null if absent), writing
   * through if asked. Returns null when the new value expires on arrival. On failure (codec, room,
   * writer) throws and leaves the mapping as it was.
   */
  WeakRef<V> store(
      K key, V value, WeakRef<V> live, long now, Outcome<K, V> out, boolean writeThrough) {
    long at =
        eternal ? ExpiryCalculator.ETERNAL : live == null ? expiry.onCreate(now) : expiry.onUpdate(now);
    if (at == ExpiryCalculator.UNCHANGED) {
      at = live.expiresAt();
    }
    WeakRef<V> entry = at <= now ? null : newEntry(key, value, at);
    if (writeThrough && writer != null) {
      try {
        writer.write(key, value);
      } catch (RuntimeException e) {
        if (entry != null) {
          region.alloc().free(entry);
        }
        throw e;
      }
    }
    if (live != null) {
      out.replaced = live; // freed by finish, once the map holds the new entry
    }
    if (entry != null) {
      out.stored = true;
      out.updated = live != null;
    }
    // A value the region's admission refused was never stored: a put whose value was evicted at
    // once. It leaves no mapping; the region's eviction drain counts the eviction.
    return entry != null && !entry.isPresent() ? null : entry;
  }

  /**
   * {@return whether a {@code put} may need nothing of the entry it replaces} True when no entry
   * expires (neither entry's expiry depends on the other) and no writer is called; whether a
   * listener waits for an event is then read per put, inside {@link #blindPuts}' count.
   */
  boolean mayPutBlindly() {
    return eternal && writer == null;
  }

  /**
   * Waits for the puts that skipped their computation because no listener was registered, and may
   * not have landed yet. Called after a listener is registered, so that from then on every put
   * announces its change: a put that began earlier has landed before the registration returns,
   * and one that begins later sees the listener.
   */
  void awaitBlindPuts() {
    blindPuts.awaitEarlier();
  }

  /**
   * A put that needs nothing of the old entry ({@link #mayPutBlindly}, and no listener), outside any computation: the
   * value is encoded into a new block before the map is touched, so the map's bin is locked only
   * for the swap; the swap publishes the new handle, and whatever it took out is freed after it
   * (a read that raced the swap and met the old value freed re-reads the map and finds the new
   * one). A handle the region evicted, or its admission refused, before the swap published it is
   * taken out again here, unless the region's eviction drain already did; either way no mapping to
   * a gone value stays. On failure (codec, room) throws and leaves the mapping as it was.
   */
  void putBlindly(K key, V value) {
    WeakRef<V> entry = give(key, value);
    entry.setExpiresAt(ExpiryCalculator.ETERNAL);
    WeakRef<V> old = map.put(key, entry);
    if (old != null) {
      region.alloc().free(old);
    }
    if (!entry.isPresent()) {
      map.remove(key, entry);
    }
  }

  /**
   * Encodes the value straight into a new block of the region. The handle is the mapping: tagged
   * with its key, and holding its expiry time.
   */
  private WeakRef<V> newEntry(K key, V value, long expireAt) {
    WeakRef<V> entry = give(key, value);
    entry.setExpiresAt(expireAt);
    return entry;
  }

  private WeakRef<V> give(K key, V value) {
    try {
      return region.alloc().give(value, codec, key, key.hashCode()); // hash: for admission
    } catch (ValueTooLargeException e) {
      throw new CacheException(
          "cache " + name + ", key " + key + ": the value is too large for the region ("
              + e.getMessage() + ")", e);
    } catch (AllocationException e) {
      throw new CacheException("cache " + name + ", key " + key + ": " + e.getMessage(), e);
    } catch (CodecException e) {
      throw new CacheException(
          "cache " + name + ", key " + key + ": cannot encode the value: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("cache " + name + ": the region is closed", e);
    }
  }

  /** Inside a computation or out: moves the expiry time after a read, if the policy says so. */
  void touch(WeakRef<V> entry, long now) {
    long at = expiry.onAccess(now);
    if (at != ExpiryCalculator.UNCHANGED) {
      entry.setExpiresAt(at);
    }
  }

  /** Removes an expired entry met outside a computation, and announces it. */
  void expireNow(WeakRef<V> entry) {
    V old = dispatcher.wants(EventType.EXPIRED) ? valueOf(entry) : null;
    ReentrantLock turn = awaitEventTurn(keyOf(entry));
    try {
      if (map.remove(keyOf(entry), entry) && region.alloc().free(entry)) {
        statistics.recordExpiries(1);
        dispatcher.expired(keyOf(entry), old);
      }
    } finally {
      endEventTurn(turn);
    }
  }

  /** Frees every value and empties the map; outside any computation. */
  void freeAll() {
    for (WeakRef<V> entry : map.values()) {
      if (map.remove(keyOf(entry), entry)) {
        region.alloc().free(entry);
      }
    }
  }

  // --- after an operation ---

  /** Announces a created or updated value, as {@code out} says. */
  void publishStored(K key, V value, Outcome<K, V> out) {
    if (out.stored) {
      if (out.updated) {
        dispatcher.updated(key, value, out.oldValue);
      } else {
        dispatcher.created(key, value);
      }
    }
  }

  /**
   * After a computation: frees the value a store replaced, announces an expiry met, and drains
   * region evictions.
   */
  void finish(Outcome<K, V> out) {
    if (out.replaced != null) {
      region.alloc().free(out.replaced);
    }
    if (out.expired) {
      statistics.recordExpiries(1);
      dispatcher.expired(out.expiredKey, out.expiredValue);
    }
    afterOperation();
  }

  /** Drains region evictions and, now and then, sweeps expired entries. */
  void afterOperation() {
    region.drainEvictions();
    if (!eternal && ThreadLocalRandom.current().nextInt(SWEEP_ODDS) == 0) {
      sweepExpired(SWEEP_BATCH);
    }
  }

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
        WeakRef<V> entry = sweepCursor.next();
        if (isExpired(entry, now)) {
          expireNow(entry);
        }
      }
    } finally {
      sweeping.set(false);
    }
  }

  /** {@return the key of a mapping: the tag its handle was given with} */
  @SuppressWarnings("unchecked")
  static <K> K keyOf(WeakRef<?> entry) {
    return (K) entry.tag();
  }

  /** {@return whether a mapping has expired at {@code now}} */
  static boolean isExpired(WeakRef<?> entry, long now) {
    return entry.expiresAt() <= now;
  }

  /** Counts one hit or one miss. */
  void recordHitOrMiss(boolean hit) {
    if (hit) {
      statistics.recordHits(1);
    } else {
      statistics.recordMisses(1);
    }
  }

  // --- region evictions ---

  /** Called by the region's drain, outside any computation: the value of {@code evicted} was evicted. */
  @Override
  public void onRegionEviction(WeakRef<?> evicted) {
    if (closed) {
      return;
    }
    K key = keyOf(evicted);
    map.remove(key, evicted);
    statistics.recordEvictions(1);
    for (RegionEvictionListener<? super K> listener : evictionListeners) {
      try {
        listener.onEviction(key);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a region eviction listener threw; ignored", e);
      }
    }
  }

  /**
   * {@return the entry's value, decoded from a validated copy, or null if the region evicted it}
   *
   * @throws CacheException naming the cache and the key, if the codec cannot decode the value
   * @throws IllegalStateException if the cache's region closed under the read
   */
  V valueOf(WeakRef<V> entry) {
    try {
      return entry.getIfPresent();
    } catch (CodecException e) {
      throw new CacheException(
          "cache " + name + ", key " + keyOf(entry) + ": cannot decode the value: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("the cache " + name + " is closed", e);
    }
  }

  // --- argument checks ---

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the cache " + name + " is closed");
    }
  }

  /** Checks a putAll: the cache open, the map and every key and value present and typed. */
  void checkEntries(java.util.Map<? extends K, ? extends V> entries) {
    checkOpen();
    requireNonNull(entries, "entries");
    for (java.util.Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
      checkKey(e.getKey());
      checkValue(e.getValue());
    }
  }

  void checkKey(K key) {
    requireNonNull(key, "key");
    if (keyType != Object.class && !keyType.isInstance(key)) {
      throw new ClassCastException(
          "cache " + name + " holds keys of " + keyType.getName() + ", not " + key.getClass().getName());
    }
  }

  V checkValue(V value) {
    requireNonNull(value, "value");
    if (valueType != Object.class && !valueType.isInstance(value)) {
      throw new ClassCastException(
          "cache " + name + " holds values of " + valueType.getName() + ", not "
              + value.getClass().getName());
    }
    return value;
  }

  static void requireNonNullElements(Collection<?> items, String what) {
    requireNonNull(items, what);
    for (Object item : items) {
      requireNonNull(item, "an element of " + what);
    }
  }
}
