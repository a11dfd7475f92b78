package dev.weakalloc.benchmarks;

import java.util.Locale;

/**
 * Prints the hit ratio of the near tier in front of a Hazelcast client's cache, on a Zipf key
 * stream, with a near region a quarter of the data: every key is in the cluster, and every miss
 * is a get through the client (a round trip over loopback) that keeps the value near. Not a
 * timing benchmark; the time printed is the whole replay's, misses included.
 *
 * <p>Defaults: 1,000,000 requests over 65,536 keys, Zipf exponent 0.99, 1 KiB values (64 MiB of
 * data), a near region of 16 MiB. Run:
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.weakalloc.benchmarks.NearHitRatio [requests keys exponent]
 * }</pre>
 *
 * <p>Thread safety: single-threaded by design.
 */
public final class NearHitRatio {
  static final int VALUE_SIZE = 1024;

  private NearHitRatio() {}

  /** Replays the stream and prints the near tier's line and exact LRU's. */
  public static void main(String[] args) {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 65_536;
    double exponent = args.length > 2 ? Double.parseDouble(args[2]) : 0.99;
    Result result = run(requests, keys, exponent);
    System.out.println(result.line());
    System.out.printf(Locale.ROOT, "exact LRU at the same budget, charging the region's block (%d B): %.2f %%%n",
        HitRatio.VALUE_SIZE + ProviderCaches.overhead(), 100 * result.exactLruBlock());
  }

  /** The near tier's hit ratio and exact LRU's on the same stream and budget, and the line printed. */
  record Result(double near, double exactLruBlock, String line) {}

  /** {@return the near tier's hit ratio, exact LRU's, and the line that says them} */
  static Result run(int requests, int keys, double exponent) {
    long budget = (long) keys * VALUE_SIZE / 4;
    try (HazelcastNearFixture tier = new HazelcastNearFixture("near-hit-ratio", budget)) {
      Integer[] keyObjects = Workloads.keys(keys);
      java.util.Map<Integer, byte[]> batch = new java.util.HashMap<>();
      for (int i = 0; i < keys; i++) {
        batch.put(keyObjects[i], Workloads.filled(VALUE_SIZE, i));
        if (batch.size() == 1024 || i == keys - 1) {
          tier.backing.putAll(batch); // straight to the cluster: the near tier starts cold
          batch.clear();
        }
      }
      int[] stream = Workloads.zipfStream(requests, keys, exponent, 99);
      long started = System.nanoTime();
      for (int key : stream) {
        if (tier.near.get(keyObjects[key]) == null) {
          throw new IllegalStateException("key " + key + " is in the cluster");
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      var stats = tier.near.nearStatistics();
      double ratio = (double) stats.hitCount() / (stats.hitCount() + stats.missCount());
      var lru = new SimulatedCache.ExactLru(budget, VALUE_SIZE + ProviderCaches.overhead(), "exact LRU, block");
      long lruHits = 0;
      for (int key : stream) {
        lruHits += lru.access(keyObjects[key]) ? 1 : 0;
      }
      String line = String.format(Locale.ROOT,
          "near tier over a Hazelcast client: %,d requests, %,d keys of %d B, Zipf %.2f, near region"
              + " %,d B (a quarter of the data): hit ratio %.2f %%, %,d near evictions, %.1f s",
          requests, keys, VALUE_SIZE, exponent, budget, 100 * ratio,
          tier.near.statistics().evictionCount(), seconds);
      return new Result(ratio, (double) lruHits / requests, line);
    }
  }
}
