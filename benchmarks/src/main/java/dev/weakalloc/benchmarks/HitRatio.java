package dev.weakalloc.benchmarks;

import dev.weakalloc.MemoryAllocator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the hit ratio of the weak allocator's approximate LRU against an exact LRU, and Caffeine
 * for reference, on one precomputed Zipf key stream at one byte budget. Not a timing benchmark.
 *
 * <p>Defaults: 1,000,000 requests over 100,000 keys, Zipf exponent 0.99, 1 KiB values, budget 25%
 * of the key space (25,600,000 bytes). Run:
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.weakalloc.benchmarks.HitRatio [requests keys exponent budgetFraction [valueSize]]
 * }</pre>
 *
 * <p>Large values: {@code HitRatio 100000 1024 0.99 0.0625 4194304} is 1,024 keys of 4 MiB in a
 * 256 MiB budget, where an exact LRU holds 64 values and a region must pack four to a chunk.
 *
 * <p>Each cache sees every request; a miss inserts the value (cache-aside). The rows:
 *
 * <ul>
 *   <li><b>exact LRU, payload</b>: a {@code LinkedHashMap} in access order charging 1,024 bytes per
 *       entry: the reference for "the same byte budget".
 *   <li><b>exact LRU, block</b>: the same charging the region's block size (payload plus header),
 *       so the difference to ours is the approximation alone, not the header overhead.
 *   <li><b>weak-alloc</b>: {@code HashMap<Integer, WeakRef<byte[]>>}; hit = {@code
 *       getIfPresent() != null}, else {@code give}.
 *   <li><b>caffeine</b>: {@code getIfPresent}, else {@code put}; W-TinyLFU, not LRU: shown for
 *       reference, not as a target.
 * </ul>
 *
 * <p>Thread safety: single-threaded by design.
 */
public final class HitRatio {
  private HitRatio() {}

  /** The value size by default. */
  static final int VALUE_SIZE = 1024;

  /** One run's figures. */
  record Row(String name, long requests, long hits, long nanos) {
    double ratio() {
      return (double) hits / requests;
    }
  }

  /** Runs the table with the defaults, or {@code requests keys exponent budgetFraction [valueSize]}. */
  public static void main(String[] args) {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    double exponent = args.length > 2 ? Double.parseDouble(args[2]) : 0.99;
    double fraction = args.length > 3 ? Double.parseDouble(args[3]) : 0.25;
    int valueSize = args.length > 4 ? Integer.parseInt(args[4]) : VALUE_SIZE;
    print(run(requests, keys, exponent, fraction, valueSize), requests, keys, exponent, fraction, valueSize,
        System.out);
  }

  /** {@return the byte budget for {@code fraction} of {@code keys} values, a multiple of 16} */
  static long budget(int keys, double fraction, int valueSize) {
    return (long) (keys * fraction * valueSize) & -16L;
  }

  /** {@return the caches this table compares, built for the budget} */
  static List<SimulatedCache> caches(long budget, int valueSize) {
    long block;
    try (MemoryAllocator region = MemoryAllocator.region(budget)) {
      block = region.blockSize(valueSize);
    }
    return List.of(
        new SimulatedCache.ExactLru(budget, valueSize, "exact LRU, payload"),
        new SimulatedCache.ExactLru(budget, block, "exact LRU, block " + block + " B"),
        new SimulatedCache.WeakAllocCacheAside(budget, valueSize),
        new SimulatedCache.CaffeineCacheAside(budget, valueSize));
  }

  /** Drives every cache with the same stream of 1 KiB values. */
  static List<Row> run(int requests, int keys, double exponent, double fraction) {
    return run(requests, keys, exponent, fraction, VALUE_SIZE);
  }

  /** Drives every cache with the same stream. */
  static List<Row> run(int requests, int keys, double exponent, double fraction, int valueSize) {
    int[] stream = Workloads.zipfStream(requests, keys, exponent, 99);
    Integer[] keyObjects = Workloads.keys(keys);
    List<Row> rows = new ArrayList<>();
    for (SimulatedCache cache : caches(budget(keys, fraction, valueSize), valueSize)) {
      try (cache) {
        long started = System.nanoTime();
        long hits = 0;
        for (int key : stream) {
          if (cache.access(keyObjects[key])) {
            hits++;
          }
        }
        rows.add(new Row(cache.name(), requests, hits, System.nanoTime() - started));
      }
    }
    return rows;
  }

  static void print(
      List<Row> rows, int requests, int keys, double exponent, double fraction, PrintStream out) {
    print(rows, requests, keys, exponent, fraction, VALUE_SIZE, out);
  }

  static void print(
      List<Row> rows, int requests, int keys, double exponent, double fraction, int valueSize,
      PrintStream out) {
    out.printf(
        Locale.ROOT,
        "Zipf(%.2f) stream: %,d requests over %,d keys, %d B values, budget %,d B (%.2f%% of the"
            + " key space)%n",
        exponent, requests, keys, valueSize, budget(keys, fraction, valueSize), fraction * 100);
    out.printf(Locale.ROOT, "%-24s %12s %10s %12s %8s%n", "cache", "hits", "hit ratio", "vs exact LRU", "time");
    double reference = rows.getFirst().ratio();
    for (Row row : rows) {
      out.printf(
          Locale.ROOT,
          "%-24s %,12d %9.2f%% %+9.2f pp %6d ms%n",
          row.name(), row.hits(), row.ratio() * 100, (row.ratio() - reference) * 100,
          row.nanos() / 1_000_000);
    }
  }
}
