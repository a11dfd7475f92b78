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
 * Throughput of a JCache {@code get} hit on a 1 KiB {@code byte[]}, through the standard {@link
 * javax.cache.Cache} interface (OHC through its own): this project's provider against Caffeine's
 * JCache provider store-by-value and the off-heap peers Ehcache 3 and OHC, at
 * the same byte budget (256 MiB, far more than the {@link #keys} values, so nothing is evicted and
 * every get hits). Keys follow a Zipf law (exponent 0.99). Run it with {@code -t 1} and {@code
 * -t 2}, and with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per get, of
 * which the returned copy owes 1,040 (a 16-byte array header and 1,024 bytes).
 *
 * <ul>
 *   <li>{@code side=weakAlloc}: {@code get}: a {@code ConcurrentHashMap} lookup of the entry, an
 *       expiry check (none for eternal entries), a pin of the off-heap block by one atomic add, a
 *       decode into a fresh 1 KiB array, an unpin, and the access recorded in the allocator's lossy
 *       read buffer.
 *   <li>{@code side=weakAllocTinyLfu}: the same with TinyLFU admission on the region: every hit's
 *       access goes into the read buffer (the newest values' too), whose drain counts its key's
 *       hash in the frequency sketch; nothing is evicted here, so this is the price of counting.
 *   <li>{@code side=caffeineJCache}: {@code get}: Caffeine's {@code getIfPresent} (its own
 *       lookup, expiry check and read buffer), then the store-by-value copy ({@code clone} of the
 *       1 KiB array).
 *   <li>{@code side=ehcache3OffHeap}, {@code side=ohc}: the off-heap peers (see {@link
 *       ProviderCaches}): a get deserializes a copy out of their off-heap store, a put serializes
 *       into it.
 * </ul>
 *
 * <p>See {@link ProviderCaches} for how each cache is configured.
 *
 * <p>Thread safety: the cache is shared by all benchmark threads ({@link Scope#Benchmark}); each
 * thread has its own {@link Cursor} over the shared key stream.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProviderGetBenchmark {
  static final int VALUE_SIZE = 1024;
  static final long BUDGET_BYTES = 256L << 20;
  static final int STREAM_LENGTH = 1 << 20;

  /** Which cache: one of {@link ProviderCaches}' sides. */
  @Param({ProviderCaches.WEAK_ALLOC, ProviderCaches.WEAK_ALLOC_TINY_LFU, ProviderCaches.CAFFEINE_JCACHE, ProviderCaches.EHCACHE, ProviderCaches.OHC})
  public String side;

  /** The number of keys, all present. */
  @Param("100000")
  public int keys;

  Integer[] keyObjects;
  int[] stream;
  ByteCache cache;
  private final AtomicInteger threads = new AtomicInteger();

  /** Fills the cache with {@code keys} values of {@value #VALUE_SIZE} bytes. */
  @Setup(Level.Trial)
  public void setUp() {
    keyObjects = Workloads.keys(keys);
    stream = Workloads.zipfStream(STREAM_LENGTH, keys, 0.99, 42);
    cache = ProviderCaches.create(side, "get-" + side, BUDGET_BYTES);
    for (int i = 0; i < keys; i++) {
      cache.put(keyObjects[i], Workloads.filled(VALUE_SIZE, i));
    }
  }

  /** Checks that every value is still there, then destroys the cache. */
  @TearDown(Level.Trial)
  public void tearDown() {
    for (Integer key : keyObjects) {
      if (cache.get(key) == null) {
        throw new IllegalStateException(side + " lost key " + key + " in a get benchmark");
      }
    }
    cache.destroy();
  }

  /** Per-thread position in the key stream. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    /** Starts each thread at a different offset of the shared stream. */
    @Setup(Level.Trial)
    public void setUp(ProviderGetBenchmark benchmark) {
      next = benchmark.threads.getAndIncrement() * (STREAM_LENGTH / 7);
    }

    Integer nextKey(ProviderGetBenchmark benchmark) {
      return benchmark.keyObjects[benchmark.stream[next++ & (STREAM_LENGTH - 1)]];
    }
  }

  /** {@code cache.get(key)}: a hit, returning a fresh copy of the 1 KiB value. */
  @Benchmark
  public byte[] get(Cursor cursor) {
    return cache.get(cursor.nextKey(this));
  }
}
