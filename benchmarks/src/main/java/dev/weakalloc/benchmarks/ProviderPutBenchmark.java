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
 * Throughput of a JCache {@code put} of a 1 KiB {@code byte[]} over {@link #keys} keys drawn
 * uniformly, through the standard {@link javax.cache.Cache} interface (OHC through its own): this project's
 * provider, beside Ehcache 3 off-heap and OHC, against
 * Caffeine's JCache provider store-by-value, at the same byte budget (256 MiB, more than every key
 * holds: nothing is evicted). The cache is filled in set-up, so each put replaces a value. Run it
 * with {@code -t 1} and {@code -t 2}.
 *
 * <ul>
 *   <li>{@code side=weakAlloc}: {@code put}: one {@code ConcurrentHashMap.compute} of the key,
 *       inside which the value is encoded into a new block of the region (a 1 KiB copy off the heap)
 *       and the old block is freed.
 *   <li>{@code side=caffeineJCache}: {@code put}: the store-by-value copy ({@code clone}, 1 KiB on
 *       the heap), then Caffeine's own put (a {@code compute} of its map, write buffer, weighing).
 * </ul>
 *
 * <p>Values are taken in turn from 16 prepared arrays. See {@link ProviderCaches} for how each
 * cache is configured.
 *
 * <p>Thread safety: the cache is shared by all benchmark threads ({@link Scope#Benchmark}); each
 * thread has its own {@link Cursor}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProviderPutBenchmark {
  static final int VALUE_SIZE = 1024;
  static final long BUDGET_BYTES = 256L << 20;
  static final int SEQUENCE_LENGTH = 1 << 20;
  static final int VALUES = 16;

  /** Which provider: {@value ProviderCaches#WEAK_ALLOC} or {@value ProviderCaches#CAFFEINE_JCACHE}. */
  @Param({ProviderCaches.WEAK_ALLOC, ProviderCaches.CAFFEINE_JCACHE, ProviderCaches.EHCACHE, ProviderCaches.OHC})
  public String side;

  /** The number of keys. */
  @Param("100000")
  public int keys;

  Integer[] keyObjects;
  int[] sequence;
  byte[][] values;
  ByteCache cache;
  private final AtomicInteger threads = new AtomicInteger();

  /** Fills the cache with every key. */
  @Setup(Level.Trial)
  public void setUp() {
    keyObjects = Workloads.keys(keys);
    sequence = Workloads.uniformIndices(SEQUENCE_LENGTH, keys, 7);
    values = new byte[VALUES][];
    for (int i = 0; i < VALUES; i++) {
      values[i] = Workloads.filled(VALUE_SIZE, i);
    }
    cache = ProviderCaches.create(side, "put-" + side, BUDGET_BYTES);
    for (int i = 0; i < keys; i++) {
      cache.put(keyObjects[i], values[i % VALUES]);
    }
  }

  /** Checks that nothing was evicted, then destroys the cache. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (cache.evictions() > 0) {
      throw new IllegalStateException("a put benchmark evicted");
    }
    cache.destroy();
  }

  /** Per-thread position in the key sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    /** Starts each thread at a different offset of the shared sequence. */
    @Setup(Level.Trial)
    public void setUp(ProviderPutBenchmark benchmark) {
      next = benchmark.threads.getAndIncrement() * (SEQUENCE_LENGTH / 7);
    }
  }

  /** {@code cache.put(key, value)}, replacing the key's value. */
  @Benchmark
  public void put(Cursor cursor) {
    int i = cursor.next++;
    cache.put(keyObjects[sequence[i & (SEQUENCE_LENGTH - 1)]], values[i & (VALUES - 1)]);
  }
}
