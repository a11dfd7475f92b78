package dev.weakalloc.jcache;

import static java.util.Objects.requireNonNull;

import dev.weakalloc.WeakRef;
import dev.weakalloc.jcache.internal.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.cache.Cache;
import javax.cache.event.EventType;
import javax.cache.integration.CacheWriterException;

/**
 * The mutations of a {@link WeakAllocCache}: puts, removes and replaces, one key at a time or in
 * bulk, and {@code clear}.
 *
 * <p>Each mutation of a key is one {@link CacheCore#compute} of that key: inside it, the live
 * entry is checked (an expired one is freed), the writer is called, the new value is encoded
 * straight into a new block of the region and the old block is freed; what happened is noted in
 * an {@link Outcome}. Events, statistics and the drain of region evictions follow, outside the
 * computation, in the calling thread. A failure inside (codec, room, writer) leaves the mapping as
 * it was.
 *
 * <p>The one exception is a {@code put} that needs nothing of the entry it replaces (no expiry, no
 * writer, no listener: {@link CacheCore#putBlindly}): it encodes the value before it touches the
 * map and swaps the new handle in with one {@code ConcurrentHashMap.put}, so that the map's bin
 * is not locked while 1 KiB is written to memory the CPU may not have in its caches.
 *
 * <p>Thread safety: thread-safe; stateless beyond the {@link CacheCore} it changes.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheWrites<K, V> {
  private final CacheCore<K, V> core;
  /** A start time meaning: statistics are off, record no time. */
  private static final long NOT_TIMED = Long.MIN_VALUE;

  CacheWrites(CacheCore<K, V> core) {
    this.core = core;
  }

  void put(K key, V value) {
    if (!core.mayPutBlindly() || !putBlindlyUnlessListened(key, value)) {
      putAndMaybeGet(key, value, false);
    }
  }

  /**
   * A put that needs no computation ({@link CacheCore#putBlindly}): no old value, no events. It
   * counts itself in flight from before it checks for listeners until its handle is in the map, so
   * that a listener's registration waits for it ({@link CacheCore#awaitBlindPuts}); the eviction
   * drain that follows runs after that, since a region eviction listener may register one.
   *
   * @return false, having changed nothing, if a listener is registered
   */
  private boolean putBlindlyUnlessListened(K key, V value) {
    if (core.dispatcher.hasListeners()) {
      return false; // before the checks and the key's copy, which the computation's path repeats
    }
    core.checkOpen();
    core.checkKey(key);
    core.checkValue(value);
    long start = core.statistics.isEnabled() ? core.ticker.nanos() : NOT_TIMED;
    K stored = core.keyCopier.copy(key);
    boolean blind = false;
    int stripe = core.blindPuts.enter();
    try {
      blind = !core.dispatcher.hasListeners();
      if (blind) {
        core.putBlindly(stored, value);
      }
    } finally {
      core.blindPuts.exit(stripe);
      if (blind) {
        core.afterOperation();
      }
    }
    if (blind) {
      core.statistics.recordPuts(1);
      if (start != NOT_TIMED) {
        core.statistics.recordPutTime(core.ticker.nanos() - start);
      }
    }
    return blind;
  }

  V getAndPut(K key, V value) {
    return putAndMaybeGet(key, value, true);
  }

  private V putAndMaybeGet(K key, V value, boolean returnOld) {
    core.checkOpen();
    core.checkKey(key);
    core.checkValue(value);
    long start = core.statistics.isEnabled() ? core.ticker.nanos() : NOT_TIMED;
    K stored = core.keyCopier.copy(key);
    Outcome<K, V> out = new Outcome<>();
    boolean wantOld = returnOld || core.dispatcher.wantsOldValue(EventType.UPDATED);
    core.computeAndAnnounce(stored, out, (k, old) -> {
      long now = core.now();
      WeakRef<V> live = core.live(old, now, out);
      if (live != null) {
        out.hit = true;
        if (wantOld) {
          out.oldValue = core.valueOf(live);
        }
      }
      return core.store(k, value, live, now, out, true);
    }, () -> afterStore(stored, value, out, returnOld, start));
    return out.oldValue;
  }

  void putAll(Map<? extends K, ? extends V> entries) {
    core.checkEntries(entries);
    long start = core.statistics.isEnabled() ? core.ticker.nanos() : NOT_TIMED;
    BulkWrite written = BulkWrite.NONE;
    if (core.writer != null) {
      List<Cache.Entry<? extends K, ? extends V>> batch = new ArrayList<>(entries.size());
      for (Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
        batch.add(new CacheEntry<>(e.getKey(), e.getValue()));
      }
      written = BulkWrite.of(core.writer.writeAll(batch), batch.stream().map(Cache.Entry::getKey));
    }
    int puts = 0;
    for (Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
      if (!written.failed(e.getKey()) && putWithoutWriter(e.getKey(), e.getValue())) {
        puts++;
      }
    }
    core.statistics.recordPuts(puts);
    if (start != NOT_TIMED) {
      core.statistics.recordPutTime(core.ticker.nanos() - start);
    }
    written.rethrow();
  }

  /**
   * What a bulk operation's write-through did: the keys the writer failed on (those left in its
   * batch) and its failure, thrown once the keys it did write are applied to the cache.
   */
  private record BulkWrite(Set<Object> failedKeys, CacheWriterException failure) {
    static final BulkWrite NONE = new BulkWrite(Set.of(), null);

    /** {@return the outcome of a writer call that returned {@code failure}, leaving {@code left}} */
    static BulkWrite of(CacheWriterException failure, java.util.stream.Stream<?> left) {
      return failure == null ? NONE : new BulkWrite(left.collect(Collectors.toSet()), failure);
    }

    boolean failed(Object key) {
      return failedKeys.contains(key);
    }

    void rethrow() {
      if (failure != null) {
        throw failure;
      }
    }
  }

  /**
   * Stores {@code value} without the writer and without counting a put: a write-through's outcome,
   * or (from {@link NearTier}) a near copy. Announces it to the cache's own listeners. {@return
   * whether it was stored}
   */
  boolean putWithoutWriter(K key, V value) {
    K stored = core.keyCopier.copy(key);
    Outcome<K, V> out = new Outcome<>();
    boolean wantOld = core.dispatcher.wantsOldValue(EventType.UPDATED);
    core.computeAndAnnounce(stored, out, (k, old) -> {
      long now = core.now();
      WeakRef<V> live = core.live(old, now, out);
      if (live != null && wantOld) {
        out.oldValue = core.valueOf(live);
      }
      return core.store(k, value, live, now, out, false);
    }, () -> core.publishStored(stored, value, out));
    return out.stored;
  }

  boolean putIfAbsent(K key, V value) {
    core.checkOpen();
    core.checkKey(key);
    core.checkValue(value);
    long start = core.statistics.isEnabled() ? core.ticker.nanos() : NOT_TIMED;
    K stored = core.keyCopier.copy(key);
    Outcome<K, V> out = new Outcome<>();
    core.computeAndAnnounce(stored, out, (k, old) -> {
      long now = core.now();
      WeakRef<V> live = core.live(old, now, out);
      if (live != null) {
        out.hit = true;
        return live;
      }
      return core.store(k, value, null, now, out, true);
    }, () -> afterStore(stored, value, out, true, start));
    return !out.hit;
  }

  /**
   * After a store's computation: counts the hit or miss (when the operation reads the old value)
   * and the put, records the time when {@code start} is not {@link #NOT_TIMED}, and publishes the
   * events.
   */
  private void afterStore(K stored, V value, Outcome<K, V> out, boolean readsOld, long start) {
    if (readsOld) {
      core.recordHitOrMiss(out.hit);
    }
    if (out.stored) {
      core.statistics.recordPuts(1);
    }
    if (start != NOT_TIMED) {
      core.statistics.recordPutTime(core.ticker.nanos() - start);
    }
    core.publishStored(stored, value, out);
  }

  // --- removes ---

  boolean remove(K key) {
    core.checkOpen();
    requireNonNull(key, "key");
    long start = core.statistics.isEnabled() ? core.ticker.nanos() : NOT_TIMED;
    Outcome<K, V> out = removeInternal(key, null, false, core.writer != null);
    afterRemove(out, start);
    return out.removed;
  }

  boolean remove(K key, V oldValue) {
    core.checkOpen();
    requireNonNull(key, "key");
    requireNonNull(oldValue, "oldValue");
    long start = core.statistics.isEnabled() ? core.ticker.nanos() : NOT_TIMED;
    Outcome<K, V> out = removeInternal(key, oldValue, false, core.writer != null);
    core.recordHitOrMiss(out.hit);
    afterRemove(out, start);
    return out.removed;
  }

  V getAndRemove(K key) {
    core.checkOpen();
    requireNonNull(key, "key");
    long start = core.statistics.isEnabled() ? core.ticker.nanos() : NOT_TIMED;
    Outcome<K, V> out = removeInternal(key, null, true, core.writer != null);
    core.recordHitOrMiss(out.removed);
    afterRemove(out, start);
    return out.oldValue;
  }

  /** After a remove's computation: counts the removal and records the time unless NOT_TIMED. */
  private void afterRemove(Outcome<K, V> out, long start) {
    if (out.removed) {
      core.statistics.recordRemovals(1);
    }
    if (start != NOT_TIMED) {
      core.statistics.recordRemoveTime(core.ticker.nanos() - start);
    }
  }

  /**
   * Removes {@code key}, only if its value equals {@code expected} when that is not null. The
   * writer deletes the key whenever the removal is unconditional.
   */
  private Outcome<K, V> removeInternal(
      Object key, V expected, boolean returnOld, boolean writeThrough) {
    Outcome<K, V> out = new Outcome<>();
    boolean wantOld = returnOld || expected != null || core.dispatcher.wantsOldValue(EventType.REMOVED);
    @SuppressWarnings("unchecked")
    K k0 = (K) key;
    core.computeAndAnnounce(k0, out, (k, old) -> {
      long now = core.now();
      WeakRef<V> live = core.live(old, now, out);
      V current = live != null && wantOld ? core.valueOf(live) : null;
      if (live != null && wantOld && current == null) {
        live = null; // evicted meanwhile
      }
      out.hit = live != null;
      if (expected != null) {
        if (live == null) {
          return null;
        }
        if (!expected.equals(current)) {
          if (core.expiry.accessMatters()) {
            core.touch(live, now);
          }
          return live;
        }
      }
      if (writeThrough) {
        core.writer.delete(k);
      }
      if (live == null) {
        return null;
      }
      core.region.alloc().free(live);
      out.removed = true;
      out.oldValue = current;
      return null;
    }, () -> {
      if (out.removed) {
        core.dispatcher.removed(k0, out.oldValue);
      }
    });
    return out;
  }

  /**
   * Removes {@code key} without the writer and without counting a removal: how {@link NearTier}
   * drops a near copy. {@return whether a live value was removed}
   */
  boolean removeQuietly(Object key) {
    return removeInternal(key, null, false, false).removed;
  }

  /**
   * Removes {@code key} without the writer and without counting a removal, unless its live value
   * {@linkplain java.util.Objects#deepEquals equals} {@code value}: how {@link NearTier} applies a
   * created or updated event of its backing cache. {@return whether a live value was removed}
   */
  boolean removeQuietlyUnlessEqual(K key, Object value) {
    Outcome<K, V> out = new Outcome<>();
    core.computeAndAnnounce(key, out, (k, old) -> {
      WeakRef<V> live = core.live(old, core.now(), out);
      if (live == null) {
        return null;
      }
      V current = core.valueOf(live);
      if (current != null && java.util.Objects.deepEquals(current, value)) {
        return live;
      }
      core.region.alloc().free(live);
      out.removed = true;
      return null;
    }, () -> {});
    return out.removed;
  }

  void removeAll(Set<? extends K> keys) {
    core.checkOpen();
    CacheCore.requireNonNullElements(keys, "keys");
    removeKeys(new LinkedHashSet<>(keys));
  }

  void removeAll() {
    core.checkOpen();
    removeKeys(new LinkedHashSet<>(core.map.keySet()));
  }

  private void removeKeys(Set<K> keys) {
    long start = core.statistics.isEnabled() ? core.ticker.nanos() : NOT_TIMED;
    BulkWrite deleted = BulkWrite.NONE;
    if (core.writer != null && !keys.isEmpty()) {
      Set<K> batch = new LinkedHashSet<>(keys);
      deleted = BulkWrite.of(core.writer.deleteAll(batch), batch.stream());
    }
    int removals = 0;
    for (K key : keys) {
      if (!deleted.failed(key) && removeInternal(key, null, false, false).removed) {
        removals++;
      }
    }
    core.statistics.recordRemovals(removals);
    if (start != NOT_TIMED) {
      core.statistics.recordRemoveTime(core.ticker.nanos() - start);
    }
    deleted.rethrow();
  }


  void clear() {
    core.checkOpen();
    core.freeAll();
    core.afterOperation();
  }

  // --- replaces ---

  boolean replace(K key, V oldValue, V newValue) {
    core.checkOpen();
    core.checkKey(key);
    requireNonNull(oldValue, "oldValue");
    core.checkValue(newValue);
    return replaceInternal(key, oldValue, newValue, false).stored;
  }

  boolean replace(K key, V value) {
    core.checkOpen();
    core.checkKey(key);
    core.checkValue(value);
    return replaceInternal(key, null, value, false).stored;
  }

  V getAndReplace(K key, V value) {
    core.checkOpen();
    core.checkKey(key);
    core.checkValue(value);
    return replaceInternal(key, null, value, true).oldValue;
  }

  private Outcome<K, V> replaceInternal(K key, V expected, V value, boolean returnOld) {
    long start = core.statistics.isEnabled() ? core.ticker.nanos() : NOT_TIMED;
    Outcome<K, V> out = new Outcome<>();
    boolean wantOld = returnOld || expected != null || core.dispatcher.wantsOldValue(EventType.UPDATED);
    K stored = core.keyCopier.copy(key);
    core.computeAndAnnounce(stored, out, (k, old) -> {
      long now = core.now();
      WeakRef<V> live = core.live(old, now, out);
      V current = live != null && wantOld ? core.valueOf(live) : null;
      if (live == null || (wantOld && current == null)) {
        return live;
      }
      out.hit = true;
      out.oldValue = current;
      if (expected != null && !expected.equals(current)) {
        if (core.expiry.accessMatters()) {
          core.touch(live, now);
        }
        return live;
      }
      return core.store(k, value, live, now, out, true);
    }, () -> afterStore(stored, value, out, true, start));
    if (!returnOld) {
      out.oldValue = out.stored ? out.oldValue : null;
    }
    return out;
  }
}
