package dev.weakalloc.benchmarks;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Requests per microsecond and hits/misses of cache-aside lookups on a precomputed Zipf stream
 * (default 1,000,000 requests over 100,000 keys, exponent 0.99, 1 KiB values, budget 25% of the
 * key space), for an exact LRU, the weak allocator and Caffeine. Each operation is one request:
 * look up, and on a miss insert (see {@link SimulatedCache} for what each side does). The stream
 * is replayed cyclically; the caches persist across iterations, so warm-up fills them.
 *
 * <p>The {@code hits} and {@code misses} columns are JMH auxiliary counters for the measured
 * iterations (hit ratio = hits / (hits + misses)); the ratio is also printed at the end of the
 * trial. {@link HitRatio} prints the same comparison as a table without JMH.
 *
 * <p>Thread safety: single-threaded ({@link Threads @Threads(1)}); with {@code -t N} each thread
 * drives its own caches over the same stream and the counters add up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class HitRatioBenchmark {
  /** The number of distinct keys. */
  @Param("100000")
  public int keys;

  /** The length of the precomputed stream. */
  @Param("1000000")
  public int requests;

  /** The Zipf exponent. */
  @Param("0.99")
  public double exponent;

  /** The budget as a fraction of the key space's bytes. */
  @Param("0.25")
  public double budgetFraction;

  int[] stream;
  Integer[] keyObjects;
  int next;
  SimulatedCache exactLru;
  SimulatedCache weakAlloc;
  SimulatedCache caffeine;

  /** Precomputes the stream and builds the three caches, empty. */
  @Setup(Level.Trial)
  public void setUp() {
    stream = Workloads.zipfStream(requests, keys, exponent, 99);
    keyObjects = Workloads.keys(keys);
    long budget = HitRatio.budget(keys, budgetFraction, HitRatio.VALUE_SIZE);
    exactLru = new SimulatedCache.ExactLru(budget, HitRatio.VALUE_SIZE, "exact LRU, payload");
    weakAlloc = new SimulatedCache.WeakAllocCacheAside(budget, HitRatio.VALUE_SIZE);
    caffeine = new SimulatedCache.CaffeineCacheAside(budget, HitRatio.VALUE_SIZE);
  }

  /** Releases the region. */
  @TearDown(Level.Trial)
  public void tearDown() {
    weakAlloc.close();
  }

  private Integer nextKey() {
    int i = next;
    next = i + 1 == stream.length ? 0 : i + 1;
    return keyObjects[stream[i]];
  }

  /** Exact LRU ({@code LinkedHashMap}, access order, byte accounting). */
  @Benchmark
  public boolean exactLru(HitCounters counters) {
    return counters.count(exactLru.access(nextKey()));
  }

  /** Ours: {@code getIfPresent}, else {@code give}. */
  @Benchmark
  public boolean weakAlloc(HitCounters counters) {
    return counters.count(weakAlloc.access(nextKey()));
  }

  /** Caffeine: {@code getIfPresent}, else {@code put}. */
  @Benchmark
  public boolean caffeine(HitCounters counters) {
    return counters.count(caffeine.access(nextKey()));
  }
}
