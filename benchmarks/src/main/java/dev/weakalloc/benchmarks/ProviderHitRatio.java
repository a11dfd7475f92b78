package dev.weakalloc.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the hit ratio of cache-aside through each JCache provider against an exact LRU, on one
 * precomputed Zipf key stream at one byte budget: the workload of {@link
 * ProviderCacheAsideBenchmark}, replayed once by one thread, cold start included. Not a timing
 * benchmark.
 *
 * <p>Defaults: 4,194,304 requests over 262,144 keys, Zipf exponent 0.99, 1 KiB values, budget 64
 * MiB (a quarter of the key space). Run:
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.weakalloc.benchmarks.ProviderHitRatio [requests keys exponent budgetMiB]
 * }</pre>
 *
 * <p>The rows: exact LRU charging 1,024 bytes per entry (the payload) and charging the region's
 * block size; this project's provider ({@code get}, else {@code put}, a region of the budget), with
 * pure LRU and with {@code Admission.TINY_LFU};
 * Caffeine's JCache provider store-by-value with a weigher at the same budget (W-TinyLFU, not an
 * LRU: for reference).
 *
 * <p>Thread safety: single-threaded by design.
 */
public final class ProviderHitRatio {
  private ProviderHitRatio() {}

  /** Runs the table with the defaults, or {@code requests keys exponent budgetMiB}. */
  public static void main(String[] args) {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 22;
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 262_144;
    double exponent = args.length > 2 ? Double.parseDouble(args[2]) : 0.99;
    int budgetMiB = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    print(run(requests, keys, exponent, budgetMiB), requests, keys, exponent, budgetMiB, System.out);
  }

  /** {@return the caches this table compares, built for the budget} */
  static List<SimulatedCache> caches(long budget) {
    int block = HitRatio.VALUE_SIZE + ProviderCaches.overhead();
    return List.of(
        new SimulatedCache.ExactLru(budget, HitRatio.VALUE_SIZE, "exact LRU, payload"),
        new SimulatedCache.ExactLru(budget, block, "exact LRU, block " + block + " B"),
        new SimulatedCache.JCacheAside(ProviderCaches.WEAK_ALLOC, budget, HitRatio.VALUE_SIZE),
        new SimulatedCache.JCacheAside(
            ProviderCaches.WEAK_ALLOC_TINY_LFU, budget, HitRatio.VALUE_SIZE),
        new SimulatedCache.JCacheAside(ProviderCaches.CAFFEINE_JCACHE, budget, HitRatio.VALUE_SIZE));
  }

  /** Drives every cache with the same stream (the benchmark's, seed 99). */
  static List<HitRatio.Row> run(int requests, int keys, double exponent, int budgetMiB) {
    int[] stream = Workloads.zipfStream(requests, keys, exponent, 99);
    Integer[] keyObjects = Workloads.keys(keys);
    List<HitRatio.Row> rows = new ArrayList<>();
    for (SimulatedCache cache : caches((long) budgetMiB << 20)) {
      try (cache) {
        long started = System.nanoTime();
        long hits = 0;
        for (int key : stream) {
          if (cache.access(keyObjects[key])) {
            hits++;
          }
        }
        rows.add(new HitRatio.Row(cache.name(), requests, hits, System.nanoTime() - started));
      }
    }
    return rows;
  }

  static void print(
      List<HitRatio.Row> rows,
      int requests,
      int keys,
      double exponent,
      int budgetMiB,
      PrintStream out) {
    out.printf(
        Locale.ROOT,
        "Zipf(%.2f) stream: %,d requests over %,d keys, %d B values, budget %d MiB, one thread%n",
        exponent, requests, keys, HitRatio.VALUE_SIZE, budgetMiB);
    out.printf(Locale.ROOT, "%-26s %12s %10s %12s %8s%n", "cache", "hits", "hit ratio", "vs exact LRU", "time");
    double reference = rows.getFirst().ratio();
    for (HitRatio.Row row : rows) {
      out.printf(
          Locale.ROOT,
          "%-26s %,12d %9.2f%% %+9.2f pp %6d ms%n",
          row.name(), row.hits(), row.ratio() * 100, (row.ratio() - reference) * 100,
          row.nanos() / 1_000_000);
    }
  }
}
