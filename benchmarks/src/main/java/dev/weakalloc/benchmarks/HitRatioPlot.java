package dev.weakalloc.benchmarks;

import dev.weakalloc.benchmarks.plot.LineChart;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipFile;

/**
 * Draws the README's hit-ratio pictures: hit ratio against budget for weak-alloc's JCache provider
 * with pure LRU and with TinyLFU admission, an exact LRU, and Caffeine's JCache provider, at
 * budgets of {@link #BUDGETS} of the key space, on a Zipf 0.99 stream and on one trace of
 * Caffeine's simulator. Writes {@code hit-ratio-zipf.png} and {@code hit-ratio-TRACE.png} (a
 * {@code /} in the trace's name becomes {@code -}) with {@link LineChart}, and prints the figures
 * of each point. Not a timing benchmark.
 *
 * <p>Each point is one cold-start, one-thread replay of the whole stream or trace through fresh
 * caches, as in {@link ProviderHitRatio} and {@link TraceHitRatio} (1 KiB values; the budget is
 * the fraction of the keys times the region's block, and Caffeine's weigher charges the same, so
 * every cache holds the same number of values). Run from the repository's root:
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.weakalloc.benchmarks.HitRatioPlot \
 *     [outputDir [requests keys [trace [simulator.jar]]]]
 * }</pre>
 *
 * <p>Defaults: {@code docs/images}; 1,000,000 requests over 100,000 keys (fewer than {@link
 * ProviderHitRatio}'s 4,194,304 over 262,144, so that the 28 replays of each picture take about a
 * minute); the LIRS trace {@code multi2}; the simulator's jar where {@code dependency:get} puts it
 * (see {@link TraceHitRatio}). The trace {@code none} draws the Zipf picture alone.
 *
 * <p>Thread safety: single-threaded by design. Memory: each replay's caches are destroyed before
 * the next are built, so at most one budget's worth of off-heap memory (a region) and one on the
 * heap (Caffeine's copies) is held at a time.
 */
public final class HitRatioPlot {
  /** The budgets drawn, as fractions of the distinct keys. */
  static final double[] BUDGETS = {0.05, 0.10, 0.15, 0.20, 0.30, 0.40, 0.50};

  /** The lines, in the order of {@link TraceHitRatio#run(int[], long)}'s rows. */
  static final List<String> LINES = List.of(
      "exact LRU", "weak-alloc LRU", "weak-alloc TinyLFU", "Caffeine JCache (W-TinyLFU)");

  private HitRatioPlot() {}

  /** Draws both pictures; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/images");
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int keys = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    String trace = args.length > 3 ? args[3] : "multi2";
    Path jar = args.length > 4 ? Path.of(args[4]) : TraceHitRatio.DEFAULT_JAR;

    int[] zipf = Workloads.zipfStream(requests, keys, 0.99, 99);
    String zipfTitle = String.format(Locale.ROOT,
        "Zipf 0.99, %,d keys, %,d requests", keys, requests);
    draw(zipfTitle, zipf, keys, out.resolve("hit-ratio-zipf.png"), System.out);
    if (!trace.equals("none")) {
      int[] traceKeys;
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        traceKeys = TraceHitRatio.read(zip, trace);
      }
      long distinct = TraceHitRatio.distinct(traceKeys);
      String title = String.format(Locale.ROOT, "Trace %s, %,d keys, %,d requests",
          trace, distinct, traceKeys.length);
      draw(title, traceKeys, distinct, out.resolve("hit-ratio-" + trace.replace('/', '-') + ".png"),
          System.out);
    }
  }

  /**
   * Replays {@code stream} at every budget of {@link #BUDGETS} of {@code keys}, prints the figures
   * and draws them into {@code file}.
   *
   * @return the hit ratios in percent, one array per line of {@link #LINES}, one entry per budget
   */
  static double[][] draw(String title, int[] stream, long keys, Path file, PrintStream log) {
    double[] x = new double[BUDGETS.length];
    double[][] y = new double[LINES.size()][BUDGETS.length];
    log.println(title);
    log.printf(Locale.ROOT, "%8s %10s", "budget", "values");
    LINES.forEach(line -> log.printf(Locale.ROOT, " %28s", line));
    log.println();
    for (int b = 0; b < BUDGETS.length; b++) {
      x[b] = BUDGETS[b] * 100;
      long budget = TraceHitRatio.budget(keys, BUDGETS[b]);
      List<HitRatio.Row> rows = TraceHitRatio.run(stream, budget);
      log.printf(Locale.ROOT, "%7.0f%% %,10d", x[b],
          budget / (HitRatio.VALUE_SIZE + ProviderCaches.overhead()));
      for (int line = 0; line < LINES.size(); line++) {
        y[line][b] = rows.get(line).ratio() * 100;
        log.printf(Locale.ROOT, " %27.2f%%", y[line][b]);
      }
      log.println();
    }
    LineChart chart = new LineChart(title, "budget (% of the keys; values of 1 KiB)", "hit ratio (%)").yAxisFitsData();
    for (int line = 0; line < LINES.size(); line++) {
      chart.line(LINES.get(line), x, y[line]);
    }
    chart.writePng(file);
    log.println("wrote " + file);
    return y;
  }
}
