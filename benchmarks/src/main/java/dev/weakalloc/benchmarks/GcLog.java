package dev.weakalloc.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pauses and G1 phase times of a unified GC log written with {@code
 * -Xlog:gc,gc+phases=debug:file=...:uptime}, cut to a window of JVM uptime.
 *
 * <p>A pause is a line such as {@code [5.1s] GC(3) Pause Young (Normal) (G1 Evacuation Pause)
 * 250M->20M(512M) 2.345ms}; a phase is {@code [5.1s] GC(3)   Merge Heap Roots: 0.2ms} or, at
 * debug level, {@code [5.1s] GC(3)     Scan Heap Roots (ms): Min: 0.1, Avg: 0.2, ...} (the
 * average over the workers is kept, per pause).
 *
 * <p>Thread safety: immutable once parsed.
 *
 * @param pauses every pause's duration, in milliseconds, in log order
 * @param young the young pauses' durations (Normal, Concurrent Start, Prepare Mixed), milliseconds
 * @param phaseTotals each phase's total over the window's pauses (milliseconds, or a count for
 *     lines such as "Scanned Cards"), in the order first seen
 */
record GcLog(double[] pauses, double[] young, Map<String, Double> phaseTotals) {
  private static final Pattern PAUSE =
      Pattern.compile("^\\[(\\d+\\.\\d+)s\\] GC\\(\\d+\\) (Pause \\w+).* (\\d+\\.\\d+)ms$");
  private static final Pattern PHASE = Pattern.compile(
      "^\\[(\\d+\\.\\d+)s\\] GC\\(\\d+\\)\\s+([A-Z][A-Za-z /()-]*?)(?: \\(ms\\))?:\\s+"
          + "(?:Min:\\s*[\\d.]+, Avg:\\s*([\\d.]+)|([\\d.]+)ms$)");

  /** {@return the pauses and phases of {@code lines} whose uptime is in {@code [start, end]}} */
  static GcLog parse(List<String> lines, double start, double end) {
    List<Double> pauses = new ArrayList<>();
    List<Double> young = new ArrayList<>();
    Map<String, Double> phases = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher pause = PAUSE.matcher(line);
      Matcher phase = PHASE.matcher(line);
      if (pause.find() && within(pause.group(1), start, end)) {
        double millis = Double.parseDouble(pause.group(3));
        pauses.add(millis);
        if (pause.group(2).equals("Pause Young")) {
          young.add(millis);
        }
      } else if (phase.find() && within(phase.group(1), start, end)) {
        String value = phase.group(3) != null ? phase.group(3) : phase.group(4);
        phases.merge(phase.group(2).strip(), Double.parseDouble(value), Double::sum);
      }
    }
    return new GcLog(sorted(pauses), sorted(young), phases);
  }

  private static boolean within(String uptime, double start, double end) {
    double at = Double.parseDouble(uptime);
    return at >= start && at <= end;
  }

  private static double[] sorted(List<Double> values) {
    double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(array);
    return array;
  }

  /** {@return the nearest-rank percentile {@code p} (0 to 100) of sorted values, or 0 if none} */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** {@return the mean of the values, or 0 if none} */
  static double mean(double[] values) {
    return Arrays.stream(values).average().orElse(0);
  }
}
