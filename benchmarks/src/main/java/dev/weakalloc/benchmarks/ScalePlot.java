package dev.weakalloc.benchmarks;

import dev.weakalloc.benchmarks.plot.LineChart;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws the README's "get throughput against entries" picture from {@link ScaleBenchmark}'s JMH
 * results: one line per side (ours, the plain map with heap copies, Caffeine's JCache provider
 * when it ran), M gets/s against entries on a logarithmic axis, each point the median over the
 * result files given. Prints the table behind it and each side's fall from the fewest entries to
 * the most (smallest throughput over largest).
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ScaleBenchmark -rf csv -rff scale-1.csv   # and -2, -3
 * java -cp benchmarks/target/benchmarks.jar dev.weakalloc.benchmarks.ScalePlot \
 *     docs/images/get-throughput-vs-entries.png scale-1.csv scale-2.csv scale-3.csv
 * }</pre>
 *
 * <p>The files are JMH's CSV results ({@code -rf csv}); rows of other benchmarks are skipped.
 * Thread safety: a program, single-threaded.
 */
public final class ScalePlot {
  private static final String BENCHMARK = ScaleBenchmark.class.getName() + ".get";
  private static final List<String> SIDES =
      List.of(ProviderCaches.WEAK_ALLOC, ScaleBenchmark.HEAP_COPIES, ProviderCaches.CAFFEINE_JCACHE);

  private ScalePlot() {}

  /**
   * Reads the results, prints the medians and draws the PNG.
   *
   * @param args the PNG to write, then one or more JMH CSV result files
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: ScalePlot out.png results.csv...");
      System.exit(2);
    }
    List<Path> files = Arrays.stream(args).skip(1).map(Path::of).toList();
    Results results = read(files);
    print(results.medians(), System.out);
    draw(results, Path.of(args[0]));
  }

  /**
   * The figures of the result files.
   *
   * @param medians per side, per entries, the median score (ops/µs, that is M ops/s) over the files
   * @param valueBytes per entries, the value size the runs used
   */
  record Results(Map<String, TreeMap<Integer, Double>> medians, TreeMap<Integer, Integer> valueBytes) {
    /** {@return the value sizes in words: one size, or each size with the entries it was used at} */
    String describeValues() {
      TreeMap<Integer, List<Integer>> entriesBySize = new TreeMap<>();
      valueBytes.forEach((entries, size) ->
          entriesBySize.computeIfAbsent(size, s -> new ArrayList<>()).add(entries));
      if (entriesBySize.size() == 1) {
        return String.format(Locale.ROOT, "values of %,d B", entriesBySize.firstKey());
      }
      List<String> parts = new ArrayList<>();
      entriesBySize.descendingMap().forEach((size, entries) -> parts.add(entries.size() == 1
          ? String.format(Locale.ROOT, "%,d B at %,d", size, entries.getFirst())
          : String.format(Locale.ROOT, "%,d B at %,d to %,d", size, entries.getFirst(), entries.getLast())));
      return "values of " + String.join("; ", parts) + " entries";
    }
  }

  /** {@return the medians and value sizes of {@link ScaleBenchmark}'s rows in the files} */
  static Results read(List<Path> files) throws IOException {
    Map<String, TreeMap<Integer, List<Double>>> scores = new TreeMap<>();
    TreeMap<Integer, Integer> valueBytes = new TreeMap<>();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file);
      List<String> header = fields(lines.getFirst());
      int name = column(header, "Benchmark", file);
      int score = column(header, "Score", file);
      int side = column(header, "Param: side", file);
      int entries = column(header, "Param: entries", file);
      int size = column(header, "Param: valueBytes", file);
      for (String line : lines.subList(1, lines.size())) {
        List<String> row = fields(line);
        if (row.size() == header.size() && row.get(name).equals(BENCHMARK)) {
          int count = Integer.parseInt(row.get(entries));
          scores.computeIfAbsent(row.get(side), s -> new TreeMap<>())
              .computeIfAbsent(count, e -> new ArrayList<>())
              .add(Double.parseDouble(row.get(score)));
          valueBytes.put(count, row.get(size).equals("auto")
              ? ScaleBenchmark.autoValueBytes(count) : Integer.parseInt(row.get(size)));
        }
      }
    }
    Map<String, TreeMap<Integer, Double>> medians = new TreeMap<>();
    scores.forEach((side, bySize) -> {
      TreeMap<Integer, Double> line = new TreeMap<>();
      bySize.forEach((entries, runs) -> line.put(entries, median(runs)));
      medians.put(side, line);
    });
    return new Results(medians, valueBytes);
  }

  /** {@return the median of {@code values}: the mean of the middle two when they are even} */
  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** Prints one row per entries (a column per side), then each side's fall, smallest over largest. */
  static void print(Map<String, TreeMap<Integer, Double>> medians, PrintStream out) {
    List<String> sides = SIDES.stream().filter(medians::containsKey).toList();
    out.printf(Locale.ROOT, "%12s", "entries");
    sides.forEach(side -> out.printf(Locale.ROOT, " %15s", side));
    out.println("   (M gets/s, median of the runs)");
    TreeMap<Integer, Double> all = new TreeMap<>();
    medians.values().forEach(all::putAll);
    for (int entries : all.keySet()) {
      out.printf(Locale.ROOT, "%,12d", entries);
      for (String side : sides) {
        Double score = medians.get(side).get(entries);
        out.printf(Locale.ROOT, " %15s", score == null ? "-" : String.format(Locale.ROOT, "%.3f", score));
      }
      out.println();
    }
    for (String side : sides) {
      TreeMap<Integer, Double> line = medians.get(side);
      out.printf(Locale.ROOT, "fall %s: %,d -> %,d entries: %.2fx%n", side, line.firstKey(),
          line.lastKey(), line.firstEntry().getValue() / line.lastEntry().getValue());
    }
  }

  /** Draws one line per side, in the order ours, heap copies, Caffeine. */
  static Path draw(Results results, Path png) {
    LineChart chart = new LineChart("JCache get hit against entries (uniform keys, one thread)",
        "entries (" + results.describeValues() + ")", "M gets/s").logarithmicX();
    for (String side : SIDES) {
      TreeMap<Integer, Double> line = results.medians().get(side);
      if (line != null) {
        chart.line(label(side),
            line.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
            line.values().stream().mapToDouble(Double::doubleValue).toArray());
      }
    }
    return chart.writePng(png);
  }

  private static String label(String side) {
    return switch (side) {
      case ProviderCaches.WEAK_ALLOC -> "weak-alloc JCache (off-heap)";
      case ScaleBenchmark.HEAP_COPIES -> "ConcurrentHashMap, heap copies";
      case ProviderCaches.CAFFEINE_JCACHE -> "Caffeine JCache, store-by-value";
      default -> side;
    };
  }

  private static int column(List<String> header, String name, Path file) {
    int index = header.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException(file + " has no column " + name + ": is it JMH's -rf csv"
          + " output of ScaleBenchmark? Its header: " + header);
    }
    return index;
  }

  /** {@return the comma-separated fields of a JMH CSV line, their quotes removed} */
  private static List<String> fields(String line) {
    return Arrays.stream(line.split(",", -1)).map(f -> f.strip().replace("\"", "")).toList();
  }
}
