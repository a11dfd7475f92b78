package dev.weakalloc.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cache-aside under memory pressure through the standard {@link javax.cache.Cache} interface (OHC through its own; see {@link
 * ProviderCaches} for every side): {@link #keys}
 * keys of 1 KiB (default 262,144: 4 times what the budget holds) requested on a Zipf stream
 * (exponent 0.99), each request a {@code get} followed, on a miss, by a {@code put} of the value.
 * This project's provider with a region of {@link #budgetMiB} against Caffeine's JCache provider
 * store-by-value bounded by a weigher at the same budget. Run it with {@code -t 1} and {@code -t
 * 2}.
 *
 * <ul>
 *   <li>{@code side=weakAlloc}: a hit is a {@code get} as in {@link ProviderGetBenchmark}; a miss is
 *       a {@code get} returning null and a {@code put}, whose {@code give} evicts the least recently
 *       used values from the region when it is full (the evicted keys leave the map in a drain
 *       after the operation).
 *   <li>{@code side=weakAllocTinyLfu}: the same with TinyLFU admission on the region: hits are
 *       counted in the frequency sketch, and a put that would evict a more frequent value is
 *       refused (the value is not stored).
 *   <li>{@code side=caffeineJCache}: {@code get} (copy on a hit), else {@code put} (copy in);
 *       Caffeine's W-TinyLFU decides what to keep (it may refuse a newcomer).
 * </ul>
 *
 * <p>The {@code hits} and {@code misses} columns are JMH auxiliary counters summed over the
 * threads: hit ratio = hits / (hits + misses); each thread also prints its last iteration's ratio.
 * {@link ProviderHitRatio} compares the ratios with an exact LRU, without JMH. The stream is
 * replayed cyclically; the cache persists across iterations, so warm-up fills it.
 *
 * <p>Warm-up is five 2 s iterations: with two threads on a shared two-core machine, ours was still
 * climbing (JIT compilation of the give and eviction paths) after three.
 *
 * <p>Thread safety: the cache is shared by all benchmark threads ({@link Scope#Benchmark}); each
 * thread has its own {@link Cursor} and {@link HitCounters}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProviderCacheAsideBenchmark {
  static final int VALUE_SIZE = 1024;

  /** Which cache: one of {@link ProviderCaches}' sides. */
  @Param({ProviderCaches.WEAK_ALLOC, ProviderCaches.WEAK_ALLOC_TINY_LFU, ProviderCaches.CAFFEINE_JCACHE, ProviderCaches.EHCACHE, ProviderCaches.OHC})
  public String side;

  /** The number of distinct keys. */
  @Param("262144")
  public int keys;

  /** The byte budget of each cache, in MiB. */
  @Param("64")
  public int budgetMiB;

  /** The length of the precomputed stream, a power of two. */
  @Param("4194304")
  public int requests;

  Integer[] keyObjects;
  int[] stream;
  byte[] value;
  ByteCache cache;
  private final AtomicInteger threads = new AtomicInteger();

  /** Precomputes the stream and builds the cache, empty. */
  @Setup(Level.Trial)
  public void setUp() {
    if (Integer.bitCount(requests) != 1) {
      throw new IllegalArgumentException("requests must be a power of two: " + requests);
    }
    keyObjects = Workloads.keys(keys);
    stream = Workloads.zipfStream(requests, keys, 0.99, 99);
    value = Workloads.filled(VALUE_SIZE, 0);
    cache = ProviderCaches.create(side, "aside-" + side, (long) budgetMiB << 20);
  }

  /** Destroys the cache. */
  @TearDown(Level.Trial)
  public void tearDown() {
    cache.destroy();
  }

  /** Per-thread position in the key stream. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    /** Starts each thread at a different offset of the shared stream. */
    @Setup(Level.Trial)
    public void setUp(ProviderCacheAsideBenchmark benchmark) {
      next = benchmark.threads.getAndIncrement() * (benchmark.requests / 7);
    }

    Integer nextKey(ProviderCacheAsideBenchmark benchmark) {
      return benchmark.keyObjects[benchmark.stream[next++ & (benchmark.requests - 1)]];
    }
  }

  /** {@code get(key)}; on a miss {@code put(key, value)}. {@return whether it was a hit} */
  @Benchmark
  public boolean getElsePut(Cursor cursor, HitCounters counters) {
    Integer key = cursor.nextKey(this);
    if (cache.get(key) != null) {
      counters.hits++;
      return true;
    }
    cache.put(key, value);
    counters.misses++;
    return false;
  }
}
