package dev.weakalloc.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import dev.weakalloc.Codecs;
import dev.weakalloc.MemoryAllocator;
import dev.weakalloc.WeakAlloc;
import dev.weakalloc.WeakAllocStats;
import dev.weakalloc.WeakRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Throughput of inserting values of mixed sizes into a full cache, so that (almost) every insert
 * evicts; and, for the weak allocator, how well the region is used meanwhile.
 *
 * <p>Values: {@link #distinctValues} byte arrays whose sizes are log-uniform from 64 B to 1 MiB
 * (every power of two equally likely; mean about 106 KiB), precomputed in {@code @Setup} and taken
 * in a precomputed order, so no random number generator is measured. Budget: {@link #budgetMiB}
 * MiB on both sides. A {@code weakAlloc_give} trial starts with its region filled to the first
 * eviction, so that its gives evict from the first warm-up iteration whatever the budget: run it
 * at {@code -p budgetMiB=64,1024,8192} to see what a give costs as the region grows (issue 13;
 * the region commits as it fills, so an 8 GiB one takes 8 GiB of memory).
 *
 * <ul>
 *   <li>{@link #weakAlloc_give}: {@code give(value, Codecs.bytes())} into a region of the budget:
 *       allocate a block (evicting least recently used values and their neighbours until it
 *       fits), copy the value's bytes off-heap. The {@code WeakRef} is dropped: this measures the
 *       allocator, not a key map.
 *   <li>{@link #caffeine_put}: {@code put(key, value)} into a Caffeine cache whose weigher counts
 *       {@code value.length}, maximum weight = the budget. Caffeine stores the reference: it
 *       copies no bytes, so this is a lower bound on what a heap cache costs.
 *   <li>{@link #caffeine_putCopy}: {@code put(key, value.clone())}: the same byte copy as ours
 *       (what a store-by-value cache does), plus the garbage collector's work to reclaim evicted
 *       copies.
 * </ul>
 *
 * <p>Reported at the end of the trial (printed by the forked JVM), from the measured iterations
 * only (warm-up excluded by snapshotting the counters at the first measurement iteration):
 *
 * <ul>
 *   <li><b>utilization</b>: {@code usedBytes / capacity} (blocks, headers included) and {@code
 *       valueBytes / capacity} (payloads only), sampled at the end of each measured iteration;
 *       Caffeine's {@code weightedSize / maximum} for comparison (its weights have no overhead).
 *   <li><b>eviction amplification</b>: {@code Δ evictedBytes / Δ allocatedBytesTotal} over the
 *       measured phase. In a full steady state this tends to 1 whatever the policy (what comes in
 *       goes out), so also: <b>bytes evicted per byte requested by the gives that had to evict</b>,
 *       counted by an eviction listener, which shows how much a single give over-evicts.
 * </ul>
 *
 * <p>Thread safety: the caches are shared by all benchmark threads; each thread has its own
 * {@link Cursor}, starting at its own offset of the value order.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class GiveBenchmark {
  static final int MIN_SIZE = 64;
  static final int MAX_SIZE = 1 << 20;
  static final int ORDER_LENGTH = 1 << 16;
  static final int KEY_COUNT = 1 << 16;

  /** The byte budget of both caches, in MiB. */
  @Param("128")
  public int budgetMiB;

  /** The number of distinct value arrays, sizes log-uniform in [64 B, 1 MiB]. */
  @Param("512")
  public int distinctValues;

  byte[][] values;
  int[] order;
  Integer[] keys;
  long budgetBytes;
  WeakAlloc alloc;
  Cache<Integer, byte[]> caffeine;

  /** The bytes evicted by the current thread's gives; written by the eviction listener. */
  private static final ThreadLocal<long[]> EVICTED_BY_THIS_THREAD =
      ThreadLocal.withInitial(() -> new long[1]);

  private final AtomicInteger threads = new AtomicInteger();
  private final Queue<Cursor> cursors = new ConcurrentLinkedQueue<>();
  private final List<double[]> samples = new ArrayList<>();
  private WeakAllocStats start;
  private Totals startTotals;

  /**
   * Precomputes the values and their order; creates both caches, and fills the region of a
   * {@code weakAlloc_give} trial until its first eviction, so that every measured give runs in a
   * full region whatever the budget (an 8 GiB region takes seconds of warm-up to fill).
   *
   * @param benchmark JMH's parameters of the trial, or null outside JMH (no fill)
   */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams benchmark) {
    int[] sizes = Workloads.logUniformSizes(distinctValues, MIN_SIZE, MAX_SIZE, 7);
    values = new byte[distinctValues][];
    for (int i = 0; i < distinctValues; i++) {
      values[i] = Workloads.filled(sizes[i], i);
    }
    order = Workloads.uniformIndices(ORDER_LENGTH, distinctValues, 8);
    keys = Workloads.keys(KEY_COUNT);
    budgetBytes = (long) budgetMiB << 20;
    alloc =
        WeakAlloc.builder(MemoryAllocator.region(budgetBytes))
            .evictionListener(ref -> EVICTED_BY_THIS_THREAD.get()[0] += ref.byteSize())
            .build();
    caffeine = Workloads.caffeine(budgetBytes);
    if (benchmark != null && benchmark.getBenchmark().endsWith(".weakAlloc_give")) {
      fillUntilFirstEviction();
    }
  }

  /** Gives the values in their order until the region evicts; the handles are dropped. */
  void fillUntilFirstEviction() {
    for (int i = 0; alloc.stats().evictions() == 0; i += 64) {
      for (int j = i; j < i + 64; j++) {
        alloc.give(values[order[j & (ORDER_LENGTH - 1)]], Codecs.bytes());
      }
    }
  }

  /** Snapshots the counters at the start of the first measured iteration. */
  @Setup(Level.Iteration)
  public void startIteration(IterationParams iteration) {
    if (start == null && isMeasured(iteration)) {
      start = alloc.stats();
      startTotals = totals();
    }
  }

  /** Samples utilization at the end of each measured iteration. */
  @TearDown(Level.Iteration)
  public void endIteration(IterationParams iteration) {
    if (isMeasured(iteration)) {
      WeakAllocStats stats = alloc.stats();
      double cap = stats.capacityBytes();
      samples.add(
          new double[] {
            stats.usedBytes() / cap, stats.valueBytes() / cap, caffeineWeight() / (double) budgetBytes
          });
    }
  }

  /** Prints utilization and amplification over the measured phase; releases the region. */
  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println();
    System.out.println(report());
    alloc.close();
  }

  /** {@return the figures over the measured phase, one line per side that ran} */
  String report() {
    if (start == null) {
      return "GiveBenchmark: no measured iteration";
    }
    WeakAllocStats end = alloc.stats();
    Totals totals = totals().minus(startTotals);
    StringBuilder out = new StringBuilder();
    long allocated = end.allocatedBytesTotal() - start.allocatedBytesTotal();
    if (allocated > 0) {
      long evicted = end.evictedBytes() - start.evictedBytes();
      out.append(
          String.format(
              Locale.ROOT,
              "weakAlloc: utilization used/capacity mean %.3f min %.3f, value/capacity mean %.3f"
                  + " min %.3f; amplification evicted/allocated %.3f, per evicting give %.3f"
                  + " (%d of %d gives evicted); failed allocations %d%n",
              mean(0), min(0), mean(1), min(1),
              (double) evicted / allocated,
              totals.burstEvicted / (double) Math.max(1, totals.burstRequested),
              totals.evictingGives, totals.ops,
              end.failedAllocations() - start.failedAllocations()));
    }
    if (caffeineWeight() > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "caffeine: utilization weight/maximum mean %.3f min %.3f (weights exclude overhead)%n",
              mean(2), min(2)));
    }
    return out.toString().strip();
  }

  private long caffeineWeight() {
    return caffeine.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  private static boolean isMeasured(IterationParams iteration) {
    return iteration == null || iteration.getType() == IterationType.MEASUREMENT;
  }

  private double mean(int column) {
    return samples.stream().mapToDouble(s -> s[column]).average().orElse(Double.NaN);
  }

  private double min(int column) {
    return samples.stream().mapToDouble(s -> s[column]).min().orElse(Double.NaN);
  }

  private Totals totals() {
    Totals sum = new Totals(0, 0, 0, 0);
    for (Cursor cursor : cursors) {
      sum =
          new Totals(
              sum.ops + cursor.ops,
              sum.evictingGives + cursor.evictingGives,
              sum.burstRequested + cursor.burstRequested,
              sum.burstEvicted + cursor.evicted[0]);
    }
    return sum;
  }

  /** Counters summed over the threads; read between iterations, when the threads are parked. */
  private record Totals(long ops, long evictingGives, long burstRequested, long burstEvicted) {
    Totals minus(Totals o) {
      return new Totals(
          ops - o.ops,
          evictingGives - o.evictingGives,
          burstRequested - o.burstRequested,
          burstEvicted - o.burstEvicted);
    }
  }

  /** Per-thread position in the value order, and this thread's eviction counters. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
    long ops;
    long evictingGives;
    long burstRequested;
    long[] evicted;

    /** Starts each thread at a different offset; registers the counters with the benchmark. */
    @Setup(Level.Trial)
    public void setUp(GiveBenchmark benchmark) {
      next = benchmark.threads.getAndIncrement() * (ORDER_LENGTH / 7);
      evicted = EVICTED_BY_THIS_THREAD.get();
      benchmark.cursors.add(this);
    }

    int nextIndex() {
      return next++ & (ORDER_LENGTH - 1);
    }
  }

  /**
   * Ours: {@code give} a precomputed value (copied off-heap), evicting as needed. Also counts,
   * outside the allocator, the bytes the give evicted (two field reads and adds).
   */
  @Benchmark
  public WeakRef<byte[]> weakAlloc_give(Cursor cursor) {
    byte[] value = values[order[cursor.nextIndex()]];
    long evictedBefore = cursor.evicted[0];
    WeakRef<byte[]> ref = alloc.give(value, Codecs.bytes());
    cursor.ops++;
    if (cursor.evicted[0] != evictedBefore) {
      cursor.evictingGives++;
      cursor.burstRequested += value.length;
    }
    return ref;
  }

  /** Caffeine: {@code put} a precomputed value by reference (no byte copy). */
  @Benchmark
  public void caffeine_put(Cursor cursor) {
    int i = cursor.nextIndex();
    caffeine.put(keys[(cursor.next * 8191) & (KEY_COUNT - 1)], values[order[i]]);
  }

  /** Caffeine: {@code put} a fresh copy of a precomputed value (store-by-value). */
  @Benchmark
  public void caffeine_putCopy(Cursor cursor) {
    int i = cursor.nextIndex();
    caffeine.put(keys[(cursor.next * 8191) & (KEY_COUNT - 1)], values[order[i]].clone());
  }
}
