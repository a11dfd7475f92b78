package dev.weakalloc.samples.region;

import java.util.List;
import java.util.Locale;

/**
 * Formats the rows of the demo as a plain-text table; "-" where a figure does not apply.
 *
 * <p>Stateless; thread-safe.
 */
final class ResultTable {
  private static final String FORMAT = "%-20s %9s %9s %8s %9s %14s %11s %9s%n";

  private ResultTable() {}

  /** {@return the table, a header line then one line per row} */
  static String format(List<RunResult> rows) {
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, FORMAT, "cache", "requests",
        "hits", "misses", "evictions", "decompressions", "peak use", "time"));
    for (RunResult row : rows) {
      table.append(String.format(Locale.ROOT, FORMAT, row.name(), row.requests(), row.hits(),
          row.misses(), orDash(row.evictions()), row.decompressions(),
          row.peakBytes() < 0 ? "-" : Sizes.format(row.peakBytes()),
          String.format(Locale.ROOT, "%.2f s", row.elapsed().toMillis() / 1000.0)));
    }
    return table.toString();
  }

  private static String orDash(long value) {
    return value < 0 ? "-" : Long.toString(value);
  }
}
