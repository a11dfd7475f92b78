package dev.weakalloc.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import dev.weakalloc.Codecs;
import dev.weakalloc.MemoryAllocator;
import dev.weakalloc.WeakAlloc;
import dev.weakalloc.WeakRef;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cache driven by a key stream for hit-ratio measurements: every value is the same size, a miss
 * inserts it. Implementations are not thread-safe: one thread drives each instance.
 */
sealed interface SimulatedCache extends AutoCloseable {

  /** Looks {@code key} up, inserting its value on a miss. {@return whether it was a hit} */
  boolean access(Integer key);

  /** {@return a short name for tables} */
  String name();

  @Override
  default void close() {}

  /**
   * The reference: an exact LRU ({@link LinkedHashMap} in access order) that evicts eldest entries
   * while the bytes it holds exceed the budget. Each entry costs {@code entryBytes}: the value size
   * for a budget of payload bytes, or the block size to charge what the region charges.
   */
  final class ExactLru implements SimulatedCache {
    private final LinkedHashMap<Integer, Boolean> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private final long budgetBytes;
    private final long entryBytes;
    private final String name;
    private long bytes;

    ExactLru(long budgetBytes, long entryBytes, String name) {
      this.budgetBytes = budgetBytes;
      this.entryBytes = entryBytes;
      this.name = name;
    }

    @Override
    public boolean access(Integer key) {
      if (entries.get(key) != null) {
        return true;
      }
      entries.put(key, Boolean.TRUE);
      bytes += entryBytes;
      var eldest = entries.entrySet().iterator();
      while (bytes > budgetBytes) {
        eldest.next();
        eldest.remove();
        bytes -= entryBytes;
      }
      return false;
    }

    @Override
    public String name() {
      return name;
    }
  }

  /**
   * Ours, cache-aside: a {@code HashMap<Integer, WeakRef<byte[]>>}; a hit is {@code getIfPresent()}
   * returning a value, else the value is given to a {@link WeakAlloc} over a region of the budget
   * and its new handle replaces the stale one.
   */
  final class WeakAllocCacheAside implements SimulatedCache {
    private final Map<Integer, WeakRef<byte[]>> refs = new HashMap<>();
    private final WeakAlloc alloc;
    private final byte[] value;

    WeakAllocCacheAside(long budgetBytes, int valueSize) {
      this.alloc = WeakAlloc.over(MemoryAllocator.region(budgetBytes));
      this.value = Workloads.filled(valueSize, 0);
    }

    @Override
    public boolean access(Integer key) {
      WeakRef<byte[]> ref = refs.get(key);
      if (ref != null && ref.getIfPresent() != null) {
        return true;
      }
      refs.put(key, alloc.give(value, Codecs.bytes()));
      return false;
    }

    @Override
    public String name() {
      return "weak-alloc";
    }

    @Override
    public void close() {
      alloc.close();
    }
  }

  /** Caffeine, cache-aside: {@code getIfPresent}, else {@code put}; weigher = value length. */
  final class CaffeineCacheAside implements SimulatedCache {
    private final Cache<Integer, byte[]> cache;
    private final byte[] value;

    CaffeineCacheAside(long budgetBytes, int valueSize) {
      this.cache = Workloads.caffeine(budgetBytes);
      this.value = Workloads.filled(valueSize, 0);
    }

    @Override
    public boolean access(Integer key) {
      if (cache.getIfPresent(key) != null) {
        return true;
      }
      cache.put(key, value);
      return false;
    }

    @Override
    public String name() {
      return "caffeine (W-TinyLFU)";
    }
  }

  /**
   * A JCache cache, cache-aside: {@code get}, else {@code put} (see {@link ProviderCaches} for the
   * sides). {@link #close()} destroys the cache.
   */
  final class JCacheAside implements SimulatedCache {
    private final ByteCache cache;
    private final byte[] value;
    private final String name;

    JCacheAside(String side, long budgetBytes, int valueSize) {
      this.cache = ProviderCaches.create(side, "hit-ratio-" + side, budgetBytes);
      this.value = Workloads.filled(valueSize, 0);
      this.name = switch (side) {
        case ProviderCaches.WEAK_ALLOC -> "weak-alloc JCache";
        case ProviderCaches.WEAK_ALLOC_TINY_LFU -> "weak-alloc JCache TinyLFU";
        case ProviderCaches.CAFFEINE_JCACHE -> "Caffeine JCache";
        default -> side;
      };
    }

    @Override
    public boolean access(Integer key) {
      if (cache.get(key) != null) {
        return true;
      }
      cache.put(key, value);
      return false;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void close() {
      cache.destroy();
    }
  }
}
