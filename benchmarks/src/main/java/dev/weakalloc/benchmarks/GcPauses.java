package dev.weakalloc.benchmarks;

import dev.weakalloc.benchmarks.plot.LineChart;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * GC pauses with gigabytes cached: for each size, a child JVM ({@link GcLoad}) fills a cache and
 * then does random gets at a fixed allocation rate; this main reads the child's GC log and prints
 * the pauses' p50, p99 and max, the young pauses' mean and p99, and the GC threads' share of the
 * process's CPU. Three sides: ours behind a 512 MiB heap, Caffeine's JCache provider holding the
 * same data on a heap big enough for it, and an empty cache doing the same allocation.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.weakalloc.benchmarks.GcPauses [key=value...]
 * java -cp benchmarks/target/benchmarks.jar dev.weakalloc.benchmarks.GcPauses plot <csv> <png>
 * }</pre>
 *
 * <p>Keys, with their defaults: {@code gib=1,2,4,8} (GiB cached), {@code value=65536} (bytes per
 * value), {@code sides=ours,caffeine,empty}, {@code rate=256} (MiB allocated per second), {@code
 * warmup=5} and {@code seconds=20} (per child), {@code heap=512m} (ours and empty), {@code
 * caffeineMaxGib=4} (larger sizes would not fit beside the other JVMs of a 24 GiB machine), {@code
 * csv=} (a file to append the rows to), {@code phases=false} (also print G1's mean phase times per
 * young pause, from {@code gc+phases=debug}), {@code quick} (tiny sizes and a second per child: a
 * smoke run). The empty side runs once; its row stands for every size.
 *
 * <p>Every child runs G1 with {@code -Xms} = {@code -Xmx} (no resizing in the window), {@code
 * -XX:+UseG1GC -Xlog:gc,gc+phases=debug:file=<tmp>:uptime}. Caffeine's heap is the data, 128 bytes
 * an entry and 768 MiB.
 *
 * <p>Thread safety: a main, one thread; its children run one at a time.
 */
public final class GcPauses {
  private static final long MIB = 1L << 20;
  private static final double GIB = 1L << 30;
  private static final String HEADER =
      "side,gib,valueBytes,heapMiB,pauses,p50Ms,p99Ms,maxMs,youngMeanMs,youngP99Ms,gcCpuPercent,gcCpuMsPerS";

  /**
   * The G1 phases printed with {@code phases=true}: milliseconds (a worker's average), except the
   * card and byte counts.
   */
  private static final List<String> PHASES = List.of("Ext Root Scanning", "Merge Heap Roots", "Log Buffers",
      "Dirty Cards", "Scan Heap Roots", "Scanned Cards", "Code Root Scan", "Object Copy", "Copied Bytes",
      "Reference Processing", "Weak Processing", "Evacuate Collection Set", "Post Evacuate Collection Set");

  private GcPauses() {}

  /** One child's figures: a row of the table and of the CSV. */
  record Row(String side, double gib, int valueBytes, long heapMiB, GcLog log, double gcCpuPercent,
      double gcCpuMsPerSecond) {
    String csv() {
      return String.format(Locale.ROOT, "%s,%.4f,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.1f,%.1f", side, gib,
          valueBytes, heapMiB, log.pauses().length, GcLog.percentile(log.pauses(), 50),
          GcLog.percentile(log.pauses(), 99), GcLog.percentile(log.pauses(), 100), GcLog.mean(log.young()),
          GcLog.percentile(log.young(), 99), gcCpuPercent, gcCpuMsPerSecond);
    }
  }

  /**
   * Runs the table ({@code key=value} arguments, see the class notes), or draws a chart from a CSV
   * ({@code plot <csv> <png>}).
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 3 && args[0].equals("plot")) {
      plot(Path.of(args[1]), Path.of(args[2]));
      return;
    }
    Map<String, String> options = options(args);
    List<Row> rows = new ArrayList<>();
    for (String side : options.get("sides").split(",")) {
      for (String gib : side.equals("empty") ? new String[] {"0"} : options.get("gib").split(",")) {
        if (side.equals("caffeine") && Double.parseDouble(gib) > Double.parseDouble(options.get("caffeineMaxGib"))) {
          System.out.printf("caffeine at %s GiB skipped: above caffeineMaxGib=%s%n", gib, options.get("caffeineMaxGib"));
          continue;
        }
        rows.add(measure(side, Double.parseDouble(gib), options));
      }
    }
    print(rows, options, System.out);
    if (!options.get("csv").isEmpty()) {
      appendCsv(Path.of(options.get("csv")), rows);
    }
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>(Map.of(
        "gib", "1,2,4,8", "value", "65536", "sides", "ours,caffeine,empty", "rate", "256", "warmup", "5",
        "seconds", "20", "heap", "512m", "caffeineMaxGib", "4", "csv", "", "phases", "false"));
    for (String arg : args) {
      if (arg.equals("quick")) {
        options.putAll(Map.of("gib", "0.03125", "warmup", "0.5", "seconds", "1", "rate", "64", "heap", "128m"));
      } else if (arg.contains("=") && options.containsKey(arg.substring(0, arg.indexOf('=')))) {
        options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else {
        throw new IllegalArgumentException("unknown argument " + arg + "; keys: " + options.keySet() + ", quick");
      }
    }
    return options;
  }

  private static Row measure(String side, double gib, Map<String, String> options) throws IOException {
    int valueBytes = Integer.parseInt(options.get("value"));
    long cachedBytes = (long) (gib * GIB);
    long entries = cachedBytes / valueBytes;
    String heap = side.equals("caffeine") ? (cachedBytes / MIB + entries * 128 / MIB + 768) + "m" : options.get("heap");
    Path gcLog = Files.createTempFile("gc-pauses-" + side, ".log");
    try {
      List<String> out = ChildJvm.run(
          List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC", "-Xlog:gc,gc+phases=debug:file=" + gcLog + ":uptime"),
          GcLoad.class,
          List.of(side, Long.toString(cachedBytes), options.get("value"), options.get("warmup"),
              options.get("seconds"), options.get("rate")));
      Map<String, String> result = loadLine(out);
      double start = Double.parseDouble(result.get("start"));
      double end = Double.parseDouble(result.get("end"));
      GcLog log = GcLog.parse(Files.readAllLines(gcLog), start, end);
      long gcTicks = Long.parseLong(result.get("gcCpuTicks"));
      long processTicks = Long.parseLong(result.get("processCpuTicks"));
      double share = processTicks > 0 ? 100.0 * gcTicks / processTicks : -1;
      double msPerSecond = gcTicks >= 0 ? gcTicks * 10.0 / (end - start) : -1; // 100 ticks a second
      return new Row(side, gib, valueBytes, parseMiB(heap), log, share, msPerSecond);
    } finally {
      Files.deleteIfExists(gcLog);
    }
  }

  /** {@return the key=value pairs of the child's GCLOAD line} */
  private static Map<String, String> loadLine(List<String> out) {
    String line = out.stream().filter(l -> l.startsWith("GCLOAD ")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no GCLOAD line in the child's output: " + out));
    Map<String, String> result = new LinkedHashMap<>();
    for (String pair : line.substring("GCLOAD ".length()).split(" ")) {
      result.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    return result;
  }

  private static long parseMiB(String heap) {
    long number = Long.parseLong(heap.substring(0, heap.length() - 1));
    return heap.endsWith("g") ? number * 1024 : number;
  }

  static void print(List<Row> rows, Map<String, String> options, PrintStream out) {
    out.printf("GC pauses, %s-byte values, gets at %s MiB/s allocated, %s s measured after %s s warm-up%n",
        options.get("value"), options.get("rate"), options.get("seconds"), options.get("warmup"));
    out.println("| side | GiB cached | heap | pauses | p50 ms | p99 ms | max ms | young mean ms | young p99 ms "
        + "| GC CPU % of process | GC CPU ms/s |");
    out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (Row row : rows) {
      String[] f = row.csv().split(",");
      out.printf("| %s | %s | %s MiB | %s | %s | %s | %s | %s | %s | %s | %s |%n", f[0],
          f[0].equals("empty") ? "any" : f[1], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]);
    }
    if (Boolean.parseBoolean(options.get("phases"))) {
      for (Row row : rows) {
        out.printf("phases of %s at %s GiB, mean per young pause:", row.side(), row.gib());
        int young = Math.max(1, row.log().young().length);
        for (String name : PHASES) {
          out.printf(Locale.ROOT, " %s=%.3f;", name, row.log().phaseTotals().getOrDefault(name, 0.0) / young);
        }
        out.println();
      }
    }
  }

  private static void appendCsv(Path csv, List<Row> rows) throws IOException {
    if (!Files.exists(csv)) {
      Files.writeString(csv, HEADER + "\n");
    }
    StringBuilder text = new StringBuilder();
    rows.forEach(row -> text.append(row.csv()).append('\n'));
    Files.writeString(csv, text, StandardOpenOption.APPEND);
  }

  /**
   * Draws young pause mean and p99 against GiB cached, ours and Caffeine, with the empty cache's
   * as a flat line over the same sizes, from the CSV rows of the first value size found (repeated
   * runs of a side and size are averaged).
   */
  static void plot(Path csv, Path png) {
    List<String[]> rows;
    try {
      rows = Files.readAllLines(csv).stream().skip(1).map(l -> l.split(",")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv, e);
    }
    String valueBytes = rows.getFirst()[2];
    double[] sizes = rows.stream().filter(r -> r[0].equals("ours") && r[2].equals(valueBytes))
        .mapToDouble(r -> Double.parseDouble(r[1])).distinct().sorted().toArray();
    LineChart chart = new LineChart("Young GC pause against GiB cached (" + Integer.parseInt(valueBytes) / 1024
        + " KiB values, same allocation rate)", "GiB cached", "young pause (ms)");
    for (String side : List.of("ours", "caffeine", "empty")) {
      for (int column : new int[] {8, 9}) {
        double[][] line = line(rows, side, valueBytes, sizes, column);
        if (line[0].length > 0) {
          chart.line(side + (column == 8 ? " mean" : " p99"), line[0], line[1]);
        }
      }
    }
    chart.writePng(png);
  }

  /**
   * {@return the x and y of one side's line, each point the mean of that size's rows (repeated
   * runs); the empty side's mean repeated at every size}
   */
  private static double[][] line(List<String[]> rows, String side, String valueBytes, double[] sizes, int column) {
    Map<Double, double[]> sums = new TreeMap<>(); // size -> {sum, count}
    for (String[] row : rows) {
      if (row[0].equals(side) && row[2].equals(valueBytes)) {
        double y = Double.parseDouble(row[column]);
        double[] xs = side.equals("empty") ? sizes : new double[] {Double.parseDouble(row[1])};
        for (double x : xs) {
          double[] sum = sums.computeIfAbsent(x, k -> new double[2]);
          sum[0] += y;
          sum[1]++;
        }
      }
    }
    double[] x = sums.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    return new double[][] {x, sums.values().stream().mapToDouble(sum -> sum[0] / sum[1]).toArray()};
  }
}
