package dev.weakalloc.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipFile;

/**
 * Prints the hit ratio of cache-aside through each JCache provider, pure LRU and TinyLFU
 * admission, against an exact LRU, on public traces that Caffeine's simulator bundles: the LIRS
 * paper's block traces, one key per line (lines that are not a number, such as the {@code *}
 * checkpoints, are skipped). Each trace is replayed once by one thread, cold start included, with
 * 1 KiB values and a budget of a fraction of its distinct keys. Not a timing benchmark.
 *
 * <p>The traces are read from the simulator's jar ({@code
 * com.github.ben-manes.caffeine:simulator:3.2.3}, 96 MB), which is not a dependency of this
 * module, so that the build stays light. Fetch it once and run:
 *
 * <pre>{@code
 * ./mvnw -q dependency:get -Dartifact=com.github.ben-manes.caffeine:simulator:3.2.3 -Dtransitive=false
 * java -cp benchmarks/target/benchmarks.jar dev.weakalloc.benchmarks.TraceHitRatio \
 *     [simulator.jar [budgetFraction [trace...]]]
 * }</pre>
 *
 * <p>Defaults: the jar in {@code ~/.m2}, a budget of a quarter of each trace's distinct keys, the
 * traces {@code loop} (a loop larger than the cache: a scan), {@code multi2} (several programs
 * interleaved), {@code sprite} (a file server) and {@code 2_pools} (two pools of different
 * popularity).
 *
 * <p>Thread safety: single-threaded by design.
 */
public final class TraceHitRatio {
  private static final String LIRS = "com/github/benmanes/caffeine/cache/simulator/parser/lirs/";

  private TraceHitRatio() {}

  /** Runs the tables; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    Path jar = args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("user.home"),
        ".m2/repository/com/github/ben-manes/caffeine/simulator/3.2.3/simulator-3.2.3.jar");
    double fraction = args.length > 1 ? Double.parseDouble(args[1]) : 0.25;
    List<String> traces = args.length > 2
        ? List.of(args).subList(2, args.length)
        : List.of("loop", "multi2", "sprite", "2_pools");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (String trace : traces) {
        int[] keys = read(zip, trace);
        print(trace, keys, fraction, run(keys, fraction), System.out);
      }
    }
  }

  /** {@return the keys of a LIRS trace in the simulator's jar} */
  static int[] read(ZipFile zip, String trace) throws IOException {
    var entry = zip.getEntry(LIRS + trace + ".trace.gz");
    if (entry == null) {
      throw new IllegalArgumentException("no LIRS trace " + trace + " in " + zip.getName());
    }
    try (InputStream in = new GZIPInputStream(zip.getInputStream(entry));
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      return lines.lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && Character.isDigit(line.charAt(0)))
          .mapToInt(line -> (int) Long.parseLong(line))
          .toArray();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  static long distinct(int[] keys) {
    Set<Integer> seen = new HashSet<>();
    for (int key : keys) {
      seen.add(key);
    }
    return seen.size();
  }

  /** Drives every cache with the trace, at a budget of {@code fraction} of its distinct keys. */
  static List<HitRatio.Row> run(int[] keys, double fraction) {
    int block = HitRatio.VALUE_SIZE + ProviderCaches.overhead();
    long budget = Math.max(64 << 10, (long) (distinct(keys) * fraction) * block);
    List<SimulatedCache> caches = List.of(
        new SimulatedCache.ExactLru(budget, block, "exact LRU"),
        new SimulatedCache.JCacheAside(ProviderCaches.WEAK_ALLOC, budget, HitRatio.VALUE_SIZE),
        new SimulatedCache.JCacheAside(
            ProviderCaches.WEAK_ALLOC_TINY_LFU, budget, HitRatio.VALUE_SIZE),
        new SimulatedCache.JCacheAside(ProviderCaches.CAFFEINE_JCACHE, budget, HitRatio.VALUE_SIZE));
    List<HitRatio.Row> rows = new ArrayList<>();
    for (SimulatedCache cache : caches) {
      try (cache) {
        long started = System.nanoTime();
        long hits = 0;
        for (int key : keys) {
          if (cache.access(key)) {
            hits++;
          }
        }
        rows.add(new HitRatio.Row(cache.name(), keys.length, hits, System.nanoTime() - started));
      }
    }
    return rows;
  }

  static void print(String trace, int[] keys, double fraction, List<HitRatio.Row> rows,
      PrintStream out) {
    long distinct = distinct(keys);
    out.printf(Locale.ROOT, "LIRS trace %s: %,d requests over %,d keys, budget %.0f%% of the keys"
        + " (%,d values of %d B)%n", trace, keys.length, distinct, fraction * 100,
        Math.max((64 << 10) / (HitRatio.VALUE_SIZE + ProviderCaches.overhead()),
            (long) (distinct * fraction)), HitRatio.VALUE_SIZE);
    double reference = rows.getFirst().ratio();
    for (HitRatio.Row row : rows) {
      out.printf(Locale.ROOT, "  %-26s %,10d %9.2f%% %+9.2f pp%n",
          row.name(), row.hits(), row.ratio() * 100, (row.ratio() - reference) * 100);
    }
  }
}
