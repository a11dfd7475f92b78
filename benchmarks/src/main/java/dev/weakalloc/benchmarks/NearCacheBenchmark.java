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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time of a get of a 1 KiB {@code byte[]}: a near hit (this provider's near cache, the value in
 * its region) against a get through the Hazelcast client (a round trip to a member on 127.0.0.1,
 * in the same JVM), on {@link #keys} keys that all fit near. Average time per get, one thread.
 *
 * <ul>
 *   <li>{@code nearHit}: {@code near.get(key)}: the near cache's map lookup, an off-heap decode
 *       into a fresh array, a near-hit count and a liveness check of the backing cache at most
 *       every 100 ms.
 *   <li>{@code clientGet}: {@code backing.get(key)}: Hazelcast's client serializes the key, sends
 *       it to the partition's owner over loopback TCP, and deserializes the value.
 * </ul>
 *
 * <p>Thread safety: the caches are shared by the benchmark threads; the key counter is per
 * thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class NearCacheBenchmark {
  static final int VALUE_SIZE = 1024;

  /** The number of keys, all written through the near cache before the run. */
  @Param("1024")
  public int keys;

  HazelcastNearFixture tier;
  Integer[] keyObjects;

  /** Starts the cluster, writes the values through the near cache (which keeps them near). */
  @Setup(Level.Trial)
  public void setUp() {
    tier = new HazelcastNearFixture("near-benchmark", 64L << 20);
    keyObjects = Workloads.keys(keys);
    for (Integer key : keyObjects) {
      tier.near.put(key, Workloads.filled(VALUE_SIZE, key));
    }
  }

  /** Checks that the near gets were hits, then stops the cluster. */
  @TearDown(Level.Trial)
  public void tearDown() {
    long misses = tier.near.nearStatistics().missCount();
    tier.close();
    if (misses > 0) {
      throw new IllegalStateException(misses + " near misses: the near hits were not all hits");
    }
  }

  /** Per-thread position in the keys. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    Integer nextKey(NearCacheBenchmark benchmark) {
      int key = next++;
      if (next == benchmark.keys) {
        next = 0;
      }
      return benchmark.keyObjects[key];
    }
  }

  /** A near hit: the value from the region. */
  @Benchmark
  public byte[] nearHit(Cursor cursor) {
    return tier.near.get(cursor.nextKey(this));
  }

  /** A get through the Hazelcast client: a round trip over loopback. */
  @Benchmark
  public byte[] clientGet(Cursor cursor) {
    return tier.backing.get(cursor.nextKey(this));
  }
}
