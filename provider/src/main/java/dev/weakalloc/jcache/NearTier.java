package dev.weakalloc.jcache;

import static java.util.Objects.requireNonNull;

import dev.weakalloc.jcache.management.NearCacheStatistics;
import dev.weakalloc.jcache.management.NearCacheStatistics.BackingCall;
import dev.weakalloc.jcache.management.NearCacheStatistics.Cause;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * The operations of a {@link WeakAllocCache} that is the near tier of a cache of another JCache
 * provider (the <em>backing</em> cache): reads from the region first, everything else through the
 * backing cache, and invalidation by the backing cache's events.
 *
 * <h2>Implementation notes</h2>
 * <b>Reads.</b> A hit decodes the near copy ({@link CacheReads#getIfLive}); a miss reads the backing
 * cache and stores the value near (a <em>fill</em>). The near copies expire {@code maxStaleness}
 * after they were stored (the near cache's expiry policy is {@code CreatedExpiryPolicy} of it).
 *
 * <p><b>Fills never resurrect an invalidated value.</b> An invalidation (an event, a write through
 * this cache) first increments the stamp of the key's stripe (one of {@value #STRIPES}) and then removes the near copy. A fill reads the stamp (and the {@link
 * #epoch}, which a clear increments) before it reads the backing cache, stores the value near, and
 * then reads the stamp again: if it moved, it removes what it stored. Either the invalidation's
 * increment comes before that second read (the fill removes its copy) or after it, and then the
 * invalidation's removal comes after the fill's store and removes it. A seqlock's validate, with a
 * removal instead of a retry; a stripe shared by two keys only costs a spurious removal.
 *
 * <p><b>Events.</b> A removed or expired event drops the near copy. A created or updated event
 * drops it unless it equals the event's value ({@link java.util.Objects#deepEquals}), in the same
 * computation of the key: the event of a write through this cache then leaves the copy that write
 * stored, whether it arrives before or after the store. Events of one key arrive in order, so after
 * an event the copy is absent or the event's value. Either kind moves the key's stamp, so a fill
 * in flight drops its copy (at worst a spurious miss).
 *
 * <p><b>Writes</b> call the backing cache first; if it throws, the near copy is left as it was (bulk
 * operations drop their keys' copies instead, since part of them may have been applied). Then the
 * key's stamp moves and the near copy is replaced ({@code put}, {@code getAndPut}, {@code putAll},
 * a successful {@code putIfAbsent}) or removed (every other write, {@code invoke} included). A
 * replacing write reads the stamp and the epoch <em>before</em> its backing call, like a fill: if
 * its own increment does not take the stamp exactly one further, or the epoch moved, something
 * (an event of a newer write elsewhere, a clear, another write of the key here) came between the
 * backing write and the store, and the stored copy is removed again. One exception: if the only
 * other move was a created or updated event of the same key and an equal value (the write's own
 * event, most often, which may arrive before the store), the copy agrees with the last event and
 * stays ({@link #stripes} keeps each stripe's last such event with the stamp it set, in one reference, so the two are read together).
 *
 * <p><b>Expiring backing entries.</b> A near cache made by the manager-wide switch carries its
 * expiry policy to the backing cache. The JCache API does not tell when a backing entry will
 * expire (and asking the policy would call it again, which the specification counts), so if the
 * policy is anything but {@code EternalExpiryPolicy} the tier keeps no copies ({@code
 * keepsCopies}): every read asks the backing cache, and a copy can never be served past the
 * backing entry's expiry. Expired events still arrive and drop nothing.
 *
 * <p><b>Listener loss.</b> A backing call that fails in a way that is not the caller's (anything but
 * an entry processor's, loader's or writer's exception, a type, null or argument check, an
 * unsupported operation), a backing cache found closed (checked at most every {@value
 * #LIVENESS_CHECK_MS} ms by hits), or {@link #invalidateAll()} marks the listener lost: the epoch
 * moves, every near copy is dropped, and reads go to the backing cache without filling until the
 * listener is registered again (tried at most every {@value #RESYNC_MS} ms, by reads).
 *
 * <p><b>A synchronous invalidation listener, when the cache has synchronous listeners.</b> The
 * near cache's listeners are registered on the backing cache ({@link NearListeners}), beside the
 * invalidation listener. An engine may count a write's completion by every listener of the cache
 * while it waits for as many as there are synchronous ones: Hazelcast 5.x makes a write wait for
 * as many completions as the proxy has synchronous registrations, and every registration,
 * asynchronous or not, counts one down once it handled the write's events. An asynchronous
 * invalidation listener then lets a write return before a synchronous listener of the user ran.
 * So while the near cache has a synchronous listener, the invalidation listener is registered as
 * synchronous too ({@link #setSynchronous}); otherwise it is asynchronous, and writes never wait
 * for it.
 *
 * <p>Thread safety: thread-safe. Registering and deregistering the invalidation listener is
 * serialized on this object; everything else takes no lock of its own.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class NearTier<K, V> {
  private static final System.Logger LOG = System.getLogger(WeakAllocCache.class.getName());
  private static final int STRIPES = 1024;
  private static final long LIVENESS_CHECK_MS = 100;
  private static final long RESYNC_MS = 200;

  private final CacheCore<K, V> core;
  private final CacheReads<K, V> reads;
  private final CacheWrites<K, V> writes;
  private final Cache<K, V> backing;
  private final String backingName;
  final NearCacheStatistics statistics = new NearCacheStatistics();
  /**
   * Per stripe, its stamp and the last created or updated event that moved it, replaced together by
   * one compare-and-set so that a reader never sees a stamp without the event that set it.
   */
  private final AtomicReferenceArray<Stripe> stripes = new AtomicReferenceArray<>(STRIPES);
  /** Moves on every clear of the near copies. */
  private final AtomicLong epoch = new AtomicLong();
  /** Counts {@link #lost} calls, so that a registration overlapping one does not mark it synced. */
  private final AtomicLong losses = new AtomicLong();
  /** Whether the invalidation listener is registered and near copies may be stored. */
  private volatile boolean synced;
  /**
   * Whether near copies are kept at all: not in front of a backing cache whose entries may
   * expire (a copy must not outlive its backing entry; class notes).
   */
  private final boolean keepsCopies;
  // Benign races: two threads may both pass a deadline and both check or both try to register
  // (register is serialized, and checks twice whether it is still needed).
  private volatile long nextLivenessCheck;
  private volatile long nextResync;
  // Guarded by this.
  private CacheEntryListenerConfiguration<K, V> invalidation;
  /** Whether the invalidation listener is registered as synchronous (class notes). */
  // Guarded by this.
  private boolean synchronous;

  /**
   * Creates the near tier of {@code backing} and registers its invalidation listener.
   *
   * @param keepsCopies false to keep no near copies: every read asks the backing cache
   * @throws RuntimeException what the backing cache throws when the listener is registered
   */
  NearTier(
      CacheCore<K, V> core,
      CacheReads<K, V> reads,
      CacheWrites<K, V> writes,
      Cache<K, V> backing,
      boolean keepsCopies) {
    this.keepsCopies = keepsCopies;
    this.core = core;
    this.reads = reads;
    this.writes = writes;
    this.backing = requireNonNull(backing, "backing");
    this.backingName = backing.getName();
    synchronized (this) {
      register();
    }
  }

  /** {@return the backing cache} */
  Cache<K, V> backing() {
    return backing;
  }

  // --- reads ---

  V get(K key) {
    core.checkOpen();
    requireNonNull(key, "key");
    V value = synced ? reads.getIfLive(key) : null;
    if (value != null) {
      statistics.recordHit();
      core.recordHitOrMiss(true);
      checkLiveness();
      return value;
    }
    statistics.recordMisses(1);
    maybeResync();
    long e = epoch.get();
    int stripe = stripe(key);
    long s = stamp(stripe);
    value = call(BackingCall.READ, () -> backing.get(key));
    if (value != null) {
      fill(key, value, stripe, s, e);
    }
    core.recordHitOrMiss(value != null);
    core.afterOperation();
    return value;
  }

  Map<K, V> getAll(Set<? extends K> keys) {
    core.checkOpen();
    CacheCore.requireNonNullElements(keys, "keys");
    Map<K, V> result = new HashMap<>(Math.max(16, keys.size() * 2));
    Set<K> missing = new LinkedHashSet<>();
    for (K key : keys) {
      V value = synced ? reads.getIfLive(key) : null;
      if (value == null) {
        missing.add(key);
      } else {
        statistics.recordHit();
        result.put(key, value);
      }
    }
    if (!missing.isEmpty()) {
      statistics.recordMisses(missing.size());
      maybeResync();
      long e = epoch.get();
      Map<K, Long> before = new HashMap<>();
      for (K key : missing) {
        before.put(key, stamp(stripe(key)));
      }
      Map<K, V> fetched = call(BackingCall.READ, () -> backing.getAll(missing));
      for (Map.Entry<K, V> entry : fetched.entrySet()) {
        Long s = before.get(entry.getKey());
        if (s != null && entry.getValue() != null) {
          fill(entry.getKey(), entry.getValue(), stripe(entry.getKey()), s, e);
          result.put(entry.getKey(), entry.getValue());
        }
      }
    }
    core.statistics.recordHits(result.size());
    core.statistics.recordMisses(keys.size() - result.size());
    core.afterOperation();
    return result;
  }

  boolean containsKey(K key) {
    core.checkOpen();
    requireNonNull(key, "key");
    if (synced && reads.containsKey(key)) {
      return true;
    }
    return call(BackingCall.READ, () -> backing.containsKey(key));
  }

  /**
   * Stores a value read from the backing cache near, unless the listener is lost, and removes it
   * again if the key was invalidated since {@code stamp} and {@code epochBefore} were read (class
   * notes). A value the region cannot hold is simply not kept near.
   */
  private void fill(K key, V value, int stripe, long stamp, long epochBefore) {
    if (!synced || !keepsCopies) {
      return;
    }
    try {
      writes.putWithoutWriter(key, value);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "not kept near: " + key, e);
      writes.removeQuietly(key);
      return;
    }
    if (stamp(stripe) != stamp || epoch.get() != epochBefore) {
      writes.removeQuietly(key);
    }
  }

  void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
    core.checkOpen();
    CacheCore.requireNonNullElements(keys, "keys");
    Set<K> copy = new LinkedHashSet<>(keys);
    CompletionListener then = new CompletionListener() {
      @Override
      public void onCompletion() {
        invalidateKeys(copy, Cause.WRITE);
        if (listener != null) {
          listener.onCompletion();
        }
      }

      @Override
      public void onException(Exception e) {
        invalidateKeys(copy, Cause.WRITE);
        if (listener != null) {
          listener.onException(e);
        }
      }
    };
    call(BackingCall.WRITE, () -> {
      backing.loadAll(copy, replaceExistingValues, then);
      return null;
    });
  }

  // --- writes ---

  void put(K key, V value) {
    checkWrite(key, value);
    int stripe = stripe(key);
    long s = stamp(stripe);
    long e = epoch.get();
    call(BackingCall.WRITE, () -> {
      backing.put(key, value);
      return null;
    });
    storeWritten(key, value, stripe, s, e);
  }

  V getAndPut(K key, V value) {
    checkWrite(key, value);
    int stripe = stripe(key);
    long s = stamp(stripe);
    long e = epoch.get();
    V old = call(BackingCall.WRITE, () -> backing.getAndPut(key, value));
    storeWritten(key, value, stripe, s, e);
    return old;
  }

  void putAll(Map<? extends K, ? extends V> entries) {
    core.checkEntries(entries);
    long epochBefore = epoch.get();
    Map<K, Long> before = new HashMap<>();
    for (K key : entries.keySet()) {
      before.put(key, stamp(stripe(key)));
    }
    try {
      call(BackingCall.WRITE, () -> {
        backing.putAll(entries);
        return null;
      });
    } catch (RuntimeException e) {
      invalidateKeys(entries.keySet(), Cause.WRITE); // part of them may have been applied
      throw e;
    }
    for (Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
      K key = e.getKey();
      storeWritten(key, e.getValue(), stripe(key), before.get(key), epochBefore);
    }
  }

  boolean putIfAbsent(K key, V value) {
    checkWrite(key, value);
    int stripe = stripe(key);
    long s = stamp(stripe);
    long e = epoch.get();
    boolean stored = call(BackingCall.WRITE, () -> backing.putIfAbsent(key, value));
    if (stored) {
      storeWritten(key, value, stripe, s, e);
    } else {
      invalidate(key, Cause.WRITE);
    }
    return stored;
  }

  boolean remove(K key) {
    return written(key, () -> backing.remove(key));
  }

  boolean remove(K key, V oldValue) {
    core.checkOpen(); // a closed cache throws IllegalStateException whatever the arguments
    requireNonNull(oldValue, "oldValue");
    return written(key, () -> backing.remove(key, oldValue));
  }

  V getAndRemove(K key) {
    return written(key, () -> backing.getAndRemove(key));
  }

  boolean replace(K key, V oldValue, V newValue) {
    core.checkOpen();
    requireNonNull(oldValue, "oldValue");
    checkWrite(key, newValue);
    return written(key, () -> backing.replace(key, oldValue, newValue));
  }

  boolean replace(K key, V value) {
    checkWrite(key, value);
    return written(key, () -> backing.replace(key, value));
  }

  V getAndReplace(K key, V value) {
    checkWrite(key, value);
    return written(key, () -> backing.getAndReplace(key, value));
  }

  void removeAll(Set<? extends K> keys) {
    core.checkOpen();
    CacheCore.requireNonNullElements(keys, "keys");
    try {
      call(BackingCall.WRITE, () -> {
        backing.removeAll(keys);
        return null;
      });
    } finally {
      invalidateKeys(keys, Cause.WRITE);
    }
  }

  void removeAll() {
    writeThenClearNear(backing::removeAll);
  }

  void clear() {
    writeThenClearNear(backing::clear);
  }

  /** Runs a write of every key on the backing cache, then drops every near copy, even if it threw. */
  private void writeThenClearNear(Runnable write) {
    core.checkOpen();
    try {
      call(BackingCall.WRITE, () -> {
        write.run();
        return null;
      });
    } finally {
      clearNear();
    }
  }

  <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    core.checkOpen();
    requireNonNull(key, "key");
    requireNonNull(processor, "processor");
    try {
      return call(BackingCall.WRITE, () -> backing.invoke(key, processor, arguments));
    } finally {
      invalidate(key, Cause.WRITE);
    }
  }

  <T> Map<K, EntryProcessorResult<T>> invokeAll(
      Set<? extends K> keys, EntryProcessor<K, V, T> processor, Object... arguments) {
    core.checkOpen();
    CacheCore.requireNonNullElements(keys, "keys");
    requireNonNull(processor, "processor");
    try {
      return call(BackingCall.WRITE, () -> backing.invokeAll(keys, processor, arguments));
    } finally {
      invalidateKeys(keys, Cause.WRITE);
    }
  }

  /**
   * The backing cache's iterator, its entries copied into {@link CacheEntry}s; its {@code remove()}
   * also drops the near copy.
   */
  Iterator<Cache.Entry<K, V>> iterator() {
    core.checkOpen();
    Iterator<Cache.Entry<K, V>> entries = call(BackingCall.READ, backing::iterator);
    return new Iterator<>() {
      private K last;

      @Override
      public boolean hasNext() {
        core.checkOpen();
        return entries.hasNext();
      }

      @Override
      public Cache.Entry<K, V> next() {
        core.checkOpen();
        Cache.Entry<K, V> entry = entries.next();
        last = entry.getKey();
        // This provider's entry, as the near cache's other answers: it unwraps to CacheEntry.
        return new CacheEntry<>(entry.getKey(), entry.getValue());
      }

      @Override
      public void remove() {
        core.checkOpen();
        entries.remove();
        invalidate(last, Cause.WRITE);
      }
    };
  }

  private void checkWrite(K key, V value) {
    core.checkOpen();
    core.checkKey(key);
    core.checkValue(value);
  }

  /** Runs a single-key write on the backing cache, then drops the key's near copy. */
  private <T> T written(K key, Supplier<T> write) {
    core.checkOpen();
    requireNonNull(key, "key");
    T result = call(BackingCall.WRITE, write);
    invalidate(key, Cause.WRITE);
    return result;
  }

  /**
   * After a write the backing cache took: replaces the near copy (class notes). {@code stamp} and
   * {@code epochBefore} were read before the backing call: if anything else moved the key's stripe
   * or the epoch since (an event of another write, a clear, another write through this cache), the
   * stored copy is removed again, as a fill's would be.
   */
  private void storeWritten(K key, V value, int stripe, long stamp, long epochBefore) {
    long mine = move(stripe, null, null).stamp();
    core.statistics.recordPuts(1);
    if (!synced || !keepsCopies) {
      writes.removeQuietly(key);
      return;
    }
    try {
      writes.putWithoutWriter(key, value);
    } catch (RuntimeException ex) {
      LOG.log(System.Logger.Level.DEBUG, "not kept near: " + key, ex);
      writes.removeQuietly(key);
      return;
    }
    Stripe now = stripes.get(stripe);
    boolean alone = mine == stamp + 1 && now.stamp() == mine;
    if (!alone && !onlyItsOwnEvent(key, value, stamp, now) || epoch.get() != epochBefore) {
      writes.removeQuietly(key);
    }
  }

  /**
   * Whether the one move of the stripe besides a write's own (from {@code stamp} to {@code now ==
   * stamp + 2}) was an event saying {@code key} maps to {@code value}, most often the write's own
   * event arriving before its store: keeping the copy then agrees with the last event.
   */
  private static boolean onlyItsOwnEvent(Object key, Object value, long stamp, Stripe now) {
    if (now.stamp() != stamp + 2) {
      return false;
    }
    LastChange last = now.lastChange();
    return last != null
        && (last.stamp() == stamp + 1 || last.stamp() == stamp + 2)
        && last.key().equals(key)
        && Objects.deepEquals(last.value(), value);
  }

  /** The last created or updated event of a stripe, and the stamp it moved the stripe to. */
  private record LastChange(Object key, Object value, long stamp) {}

  /** A stripe's stamp and its last change ({@code null} before the first). */
  private record Stripe(long stamp, LastChange lastChange) {
    static final Stripe INITIAL = new Stripe(0, null);
  }

  /** {@return the stamp of {@code stripe}} */
  private long stamp(int stripe) {
    Stripe current = stripes.get(stripe);
    return current == null ? 0 : current.stamp();
  }

  /**
   * Moves {@code stripe}'s stamp one further; {@code key} and {@code value}, when the value is not
   * null, become its last change, which otherwise stays what it was.
   *
   * @return the stripe after the move
   */
  private Stripe move(int stripe, Object key, Object value) {
    while (true) {
      Stripe current = stripes.get(stripe);
      Stripe before = current == null ? Stripe.INITIAL : current;
      long next = before.stamp() + 1;
      Stripe after = new Stripe(next, value == null ? before.lastChange() : new LastChange(key, value, next));
      if (stripes.compareAndSet(stripe, current, after)) {
        return after;
      }
    }
  }

  // --- invalidation ---

  /** Drops the near copy of {@code key}: an event of the backing cache, or a write through it. */
  void invalidate(Object key, Cause cause) {
    if (key == null || core.closed) {
      return;
    }
    move(stripe(key), null, null);
    statistics.recordInvalidations(cause, 1);
    writes.removeQuietly(key);
  }

  /**
   * An event of the backing cache says {@code key} now maps to {@code value}: a near copy equal to
   * it is current (the event of a write through this cache, most often) and is kept; any other is
   * dropped. Events of one key arrive in order (JCache requires it), so after this the near copy is
   * either absent or {@code value}.
   */
  void changed(K key, Object value, Cause cause) {
    if (key == null || core.closed) {
      return;
    }
    move(stripe(key), key, value);
    if (value == null) {
      writes.removeQuietly(key);
    } else {
      writes.removeQuietlyUnlessEqual(key, value);
    }
    statistics.recordInvalidations(cause, 1);
  }

  private void invalidateKeys(Iterable<?> keys, Cause cause) {
    for (Object key : keys) {
      invalidate(key, cause);
    }
  }

  /** Drops every near copy; fills that started before do not keep theirs. */
  private void clearNear() {
    epoch.incrementAndGet();
    core.freeAll();
  }

  private static int stripe(Object key) {
    int h = key.hashCode();
    h ^= h >>> 16;
    return (h * 0x9E3779B9 >>> 22) & (STRIPES - 1);
  }

  /**
   * Marks the listener lost: drops every near copy, and reads go to the backing cache without
   * filling until the listener is registered again.
   */
  void lost(Throwable cause) {
    losses.incrementAndGet();
    boolean was = synced;
    synced = false;
    nextResync = core.ticker.nanos() + TimeUnit.MILLISECONDS.toNanos(RESYNC_MS);
    clearNear();
    statistics.recordInvalidations(Cause.LISTENER_LOST, 1);
    if (was) {
      LOG.log(System.Logger.Level.INFO, () -> "near cache " + core.name + ": the listener on the"
          + " backing cache " + backingName + " may have missed events ("
          + (cause == null ? "asked to" : cause.toString()) + "); near copies dropped until it is"
          + " registered again");
    }
  }

  /** Drops every near copy and registers the listener again at once: {@code invalidateNear()}. */
  void invalidateAll() {
    lost(null);
    synchronized (this) {
      try {
        register();
      } catch (RuntimeException e) { // reads try again
        LOG.log(System.Logger.Level.DEBUG, "near cache " + core.name + ": not registered again", e);
      }
    }
  }

  /** Checks, at most every {@value #LIVENESS_CHECK_MS} ms, that the backing cache is open. */
  private void checkLiveness() {
    long now = core.ticker.nanos();
    if (now - nextLivenessCheck < 0) {
      return;
    }
    nextLivenessCheck = now + TimeUnit.MILLISECONDS.toNanos(LIVENESS_CHECK_MS);
    if (backing.isClosed()) {
      lost(new IllegalStateException("the backing cache " + backingName + " is closed"));
    }
  }

  /** While the listener is lost, tries now and then to register it again. */
  private void maybeResync() {
    if (synced || core.ticker.nanos() - nextResync < 0) {
      return;
    }
    synchronized (this) {
      if (synced) {
        return;
      }
      try {
        register();
      } catch (RuntimeException e) {
        nextResync = core.ticker.nanos() + TimeUnit.MILLISECONDS.toNanos(RESYNC_MS);
        LOG.log(System.Logger.Level.DEBUG, "near cache " + core.name + ": not registered again", e);
      }
    }
  }

  // Guarded by this.
  // A loss (lost() takes no lock) during the registration leaves synced false: a later read tries
  // again. The epoch moves once the listener is registered, so a fill that started while it was not
  // registered drops its copy.
  private void register() {
    long lossesBefore = losses.get();
    deregisterQuietly();
    var configuration = invalidationConfiguration();
    backing.registerCacheEntryListener(configuration);
    invalidation = configuration;
    epoch.incrementAndGet();
    if (losses.get() == lossesBefore && !core.closed) {
      synced = true;
    }
  }

  // Guarded by this.
  private CacheEntryListenerConfiguration<K, V> invalidationConfiguration() {
    return new MutableCacheEntryListenerConfiguration<>(
        new InvalidatorFactory<>(this), null, false, synchronous);
  }

  /**
   * Makes the invalidation listener synchronous, or asynchronous again, as the near cache's own
   * listeners require (class notes): registers the listener anew if that changes, the new one
   * before the old one is removed, so that no event falls between them. Nothing to do if the
   * listener is lost (its next registration takes the flag) or the cache closed.
   *
   * @throws RuntimeException what the backing cache throws registering it; nothing changed then
   */
  synchronized void setSynchronous(boolean synchronous) {
    if (this.synchronous == synchronous || core.closed) {
      return;
    }
    this.synchronous = synchronous;
    CacheEntryListenerConfiguration<K, V> old = invalidation;
    if (old == null) {
      return;
    }
    CacheEntryListenerConfiguration<K, V> configuration = invalidationConfiguration();
    try {
      backing.registerCacheEntryListener(configuration);
    } catch (RuntimeException e) {
      this.synchronous = !synchronous;
      throw e;
    }
    invalidation = configuration;
    try {
      backing.deregisterCacheEntryListener(old);
    } catch (RuntimeException e) { // at worst its events arrive twice: each invalidates again
      LOG.log(System.Logger.Level.DEBUG, "near cache " + core.name + ": deregistering", e);
    }
  }

  // Guarded by this.
  private void deregisterQuietly() {
    CacheEntryListenerConfiguration<K, V> old = invalidation;
    invalidation = null;
    if (old != null && !backing.isClosed()) {
      try {
        backing.deregisterCacheEntryListener(old);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "near cache " + core.name + ": deregistering", e);
      }
    }
  }

  /** Deregisters the invalidation listener; the cache is closing. The backing cache stays open. */
  synchronized void close() {
    synced = false;
    epoch.incrementAndGet(); // a fill past its synced check drops what it stores after freeAll
    deregisterQuietly();
  }

  /**
   * Runs a backing call, timing it; a failure that is not the caller's marks the listener lost
   * (class notes) and is thrown as it is.
   */
  private <T> T call(BackingCall kind, Supplier<T> operation) {
    long start = System.nanoTime();
    boolean failed = true;
    try {
      T result = operation.get();
      failed = false;
      return result;
    } catch (RuntimeException e) {
      if (!isCallersFault(e)) {
        lost(e);
      }
      throw e;
    } finally {
      statistics.recordCall(kind, System.nanoTime() - start, failed);
    }
  }

  private static boolean isCallersFault(RuntimeException e) {
    return e instanceof EntryProcessorException
        || e instanceof CacheLoaderException
        || e instanceof CacheWriterException
        || e instanceof ClassCastException
        || e instanceof NullPointerException
        || e instanceof IllegalArgumentException
        || e instanceof UnsupportedOperationException;
  }

  /**
   * Makes the listener that invalidates near copies. Serializable because some engines (Hazelcast)
   * send a listener configuration to their members; a copy made there holds no near tier, and its
   * listeners ignore every event.
   */
  static final class InvalidatorFactory<K, V>
      implements Factory<CacheEntryListener<K, V>>, Serializable {
    private static final long serialVersionUID = 2L;
    private final transient NearTier<K, V> tier;
    /**
     * Identifies the registration across serialization: engines that send the configuration to
     * their members deregister by {@code equals} of copies, so equality must survive the trip.
     */
    private final UUID id = UUID.randomUUID();

    InvalidatorFactory(NearTier<K, V> tier) {
      this.tier = tier;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof InvalidatorFactory<?, ?> other && id.equals(other.id);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }

    @Override
    public CacheEntryListener<K, V> create() {
      return new Invalidator<>(tier);
    }
  }

  /** Invalidates the near copy of each key the backing cache announces. Called from its threads. */
  private record Invalidator<K, V>(NearTier<K, V> tier)
      implements CacheEntryCreatedListener<K, V>,
          CacheEntryUpdatedListener<K, V>,
          CacheEntryRemovedListener<K, V>,
          CacheEntryExpiredListener<K, V> {
    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
      apply(events, Cause.CREATED);
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
      apply(events, Cause.UPDATED);
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
      apply(events, Cause.REMOVED);
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
      apply(events, Cause.EXPIRED);
    }

    private void apply(Iterable<CacheEntryEvent<? extends K, ? extends V>> events, Cause cause) {
      if (tier == null) {
        return;
      }
      for (CacheEntryEvent<? extends K, ? extends V> event : events) {
        if (cause == Cause.CREATED || cause == Cause.UPDATED) {
          tier.changed(event.getKey(), event.getValue(), cause);
        } else {
          tier.invalidate(event.getKey(), cause);
        }
      }
    }
  }
}
