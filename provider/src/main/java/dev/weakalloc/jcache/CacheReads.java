package dev.weakalloc.jcache;

import static java.util.Objects.requireNonNull;

import dev.weakalloc.WeakRef;
import dev.weakalloc.jcache.expiry.ExpiryCalculator;
import dev.weakalloc.jcache.internal.Outcome;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.cache.event.EventType;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CompletionListener;

/**
 * The reads of a {@link WeakAllocCache}: {@code get}, {@code getAll}, {@code containsKey}, and
 * read-through loading ({@code loadAll} and the loads of a miss).
 *
 * <p>The hit path ({@link #getIfLive}) takes no lock and allocates nothing but the decoded copy:
 * a map read, an expiry check that reads the clock only for entries that may expire, and {@code
 * WeakRef.getIfPresent} (a validated copy of the bytes, which writes nothing shared, the decode of
 * that copy, and the access offered to the allocator's lossy read buffer). Operations are timed only when statistics are enabled.
 *
 * <p>Thread safety: thread-safe; stateless beyond the {@link CacheCore} it reads.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheReads<K, V> {
  private final CacheCore<K, V> core;

  CacheReads(CacheCore<K, V> core) {
    this.core = core;
  }

  V get(K key) {
    core.checkOpen();
    requireNonNull(key, "key");
    boolean stats = core.statistics.isEnabled();
    long start = stats ? core.ticker.nanos() : 0L;
    V value = getIfLive(key);
    core.recordHitOrMiss(value != null);
    if (value == null && core.readsThrough()) {
      value = loadAndStore(key);
    }
    if (stats) {
      core.statistics.recordGetTime(core.ticker.nanos() - start);
    }
    return value;
  }

  /**
   * The hit path: no lock, no allocation beyond the decoded copy. A value found gone after its
   * entry was read is looked up again if the mapping changed meanwhile: a replace publishes the new
   * entry before it frees the old value, so a get that races with a put returns the old value or
   * the new one, never null. An unchanged mapping whose value is gone was evicted.
   */
  V getIfLive(Object key) {
    WeakRef<V> entry = core.map.get(key);
    while (entry != null) {
      long now = 0L;
      if (entry.expiresAt() != ExpiryCalculator.ETERNAL) {
        now = core.ticker.nanos();
        if (CacheCore.isExpired(entry, now)) {
          core.expireNow(entry);
          return null;
        }
      }
      V value = core.valueOf(entry);
      if (value != null) {
        if (core.expiry.accessMatters()) {
          core.touch(entry, now == 0L ? core.ticker.nanos() : now);
        }
        return value;
      }
      WeakRef<V> current = core.map.get(key);
      if (current == entry) {
        core.map.remove(CacheCore.keyOf(entry), entry); // evicted; the drain counts it
        return null;
      }
      entry = current;
    }
    return null;
  }

  Map<K, V> getAll(Set<? extends K> keys) {
    core.checkOpen();
    CacheCore.requireNonNullElements(keys, "keys");
    boolean stats = core.statistics.isEnabled();
    long start = stats ? core.ticker.nanos() : 0L;
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
    core.statistics.recordHits(result.size());
    core.statistics.recordMisses(missing.size());
    if (!missing.isEmpty() && core.readsThrough()) {
      Map<K, V> loaded = core.loader.loadAll(missing);
      for (Map.Entry<K, V> e : loaded.entrySet()) {
        if (e.getKey() != null && e.getValue() != null && missing.contains(e.getKey())) {
          storeLoaded(e.getKey(), e.getValue(), true);
          result.put(e.getKey(), e.getValue());
        }
      }
    }
    if (stats) {
      core.statistics.recordGetTime(core.ticker.nanos() - start);
    }
    core.afterOperation();
    return result;
  }

  boolean containsKey(K key) {
    core.checkOpen();
    requireNonNull(key, "key");
    WeakRef<V> entry = core.map.get(key);
    while (entry != null) {
      if (entry.expiresAt() != ExpiryCalculator.ETERNAL && CacheCore.isExpired(entry, core.ticker.nanos())) {
        core.expireNow(entry);
        return false;
      }
      if (entry.isPresent()) {
        return true;
      }
      WeakRef<V> current = core.map.get(key); // replaced meanwhile (see getIfLive)?
      if (current == entry) {
        return false;
      }
      entry = current;
    }
    return false;
  }

  // --- loading ---

  private V loadAndStore(K key) {
    V value = core.loader.load(key);
    if (value != null) {
      storeLoaded(key, value, false);
      core.afterOperation();
    }
    return value;
  }

  /** Stores a loaded value without writing it through. */
  private void storeLoaded(K key, V value, boolean replaceExisting) {
    core.checkValue(value);
    K stored = core.keyCopier.copy(key);
    Outcome<K, V> out = new Outcome<>();
    boolean wantOld = core.dispatcher.wantsOldValue(EventType.UPDATED);
    core.computeAndAnnounce(stored, out, (k, old) -> {
      long now = core.now();
      WeakRef<V> live = core.live(old, now, out);
      if (live != null && !replaceExisting) {
        return live;
      }
      if (live != null && wantOld) {
        out.oldValue = core.valueOf(live);
      }
      return core.store(k, value, live, now, out, false);
    }, () -> core.publishStored(stored, value, out));
  }

  void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
    core.checkOpen();
    CacheCore.requireNonNullElements(keys, "keys");
    CompletionListener done = listener == null ? NullCompletionListener.INSTANCE : listener;
    if (core.loader == null) {
      done.onCompletion();
      return;
    }
    core.executor.execute(() -> {
      try {
        Set<K> toLoad = new LinkedHashSet<>();
        for (K key : keys) {
          if (replaceExistingValues || !containsKey(key)) {
            toLoad.add(key);
          }
        }
        Map<K, V> loaded = core.loader.loadAll(toLoad);
        for (Map.Entry<K, V> e : loaded.entrySet()) {
          if (e.getKey() != null && e.getValue() != null) {
            storeLoaded(e.getKey(), e.getValue(), replaceExistingValues);
          }
        }
        core.afterOperation();
        done.onCompletion();
      } catch (RuntimeException e) {
        done.onException(e instanceof CacheLoaderException
            ? e
            : new CacheLoaderException("loadAll failed: " + e.getMessage(), e));
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
}
