package dev.weakalloc.jcache;

import static java.util.Objects.requireNonNull;

import dev.weakalloc.WeakRef;
import dev.weakalloc.jcache.internal.Outcome;
import dev.weakalloc.jcache.processor.EntryProcessorEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * {@code invoke} and {@code invokeAll} of a {@link WeakAllocCache}: the processor runs inside the
 * one {@link CacheCore#compute} of its key, on an {@link EntryProcessorEntry} that records what it
 * did (read, load, create, update, delete); {@link #apply} then turns that into the new mapping,
 * still inside the computation. Events and statistics follow outside it.
 *
 * <p>Thread safety: thread-safe; stateless beyond the {@link CacheCore} it changes.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheEntryProcessing<K, V> {
  private final CacheCore<K, V> core;

  CacheEntryProcessing(CacheCore<K, V> core) {
    this.core = core;
  }

  <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    core.checkOpen();
    requireNonNull(key, "key");
    requireNonNull(processor, "processor");
    K stored = core.keyCopier.copy(key);
    Outcome<K, V> out = new Outcome<>();
    Object[] result = new Object[1];
    EntryProcessorEntry<K, V>[] processed = newEntryArray();
    ReentrantLock turn = core.awaitEventTurn(stored);
    try {
      return process(stored, processor, arguments, out, result, processed);
    } finally {
      CacheCore.endEventTurn(turn);
    }
  }

  private <T> T process(
      K stored,
      EntryProcessor<K, V, T> processor,
      Object[] arguments,
      Outcome<K, V> out,
      Object[] result,
      EntryProcessorEntry<K, V>[] processed) {
    try {
      core.compute(stored, (k, old) -> {
        long now = core.now();
        WeakRef<V> live = core.live(old, now, out);
        V current = live == null ? null : core.valueOf(live);
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
      core.finish(out);
    }
    core.recordHitOrMiss(out.hit);
    if (out.stored) {
      core.statistics.recordPuts(1);
    }
    if (out.removed) {
      core.statistics.recordRemovals(1);
    }
    EntryProcessorEntry<K, V> entry = processed[0];
    if (out.removed) {
      core.dispatcher.removed(stored, out.oldValue);
    } else {
      core.publishStored(stored, entry.value(), out);
    }
    @SuppressWarnings("unchecked")
    T t = (T) result[0];
    return t;
  }

  @SuppressWarnings("unchecked")
  private static <K, V> EntryProcessorEntry<K, V>[] newEntryArray() {
    return (EntryProcessorEntry<K, V>[]) new EntryProcessorEntry<?, ?>[1];
  }

  private Function<K, V> readThroughLoader() {
    return core.readsThrough() ? core.loader::load : null;
  }

  /** Inside a computation: applies what the processor did. */
  private WeakRef<V> apply(
      K key,
      WeakRef<V> live,
      V current,
      EntryProcessorEntry<K, V> entry,
      long now,
      Outcome<K, V> out) {
    switch (entry.action()) {
      case NONE -> {
        return live;
      }
      case READ -> {
        if (core.expiry.accessMatters()) {
          core.touch(live, now);
        }
        return live;
      }
      case LOADED -> {
        return core.store(key, core.checkValue(entry.value()), null, now, out, false);
      }
      case CREATED, UPDATED -> {
        out.oldValue = current;
        return core.store(key, core.checkValue(entry.value()), live, now, out, true);
      }
      case DELETED -> {
        if (core.writer != null) {
          core.writer.delete(key);
        }
        if (live != null) {
          core.region.alloc().free(live);
          out.removed = true;
          out.oldValue = current;
        }
        return null;
      }
    }
    throw new AssertionError(entry.action());
  }

  <T> Map<K, EntryProcessorResult<T>> invokeAll(
      Set<? extends K> keys, EntryProcessor<K, V, T> processor, Object... arguments) {
    core.checkOpen();
    CacheCore.requireNonNullElements(keys, "keys");
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
}
