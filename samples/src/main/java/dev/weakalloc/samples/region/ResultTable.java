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

  /**
   * {@return a note for each row whose peak passed the budget, saying why} Only a heap cache can:
   * Caffeine stores a value before its maintenance evicts for it.
   */
  static String overBudgetNotes(List<RunResult> rows, long budgetBytes) {
    StringBuilder notes = new StringBuilder();
    for (RunResult row : rows) {
      if (row.peakBytes() > budgetBytes) {
        notes.append(String.format(Locale.ROOT, "note: %s peaked at %s, over the %s budget: it"
                + " stores a value before its maintenance evicts for it, so loads in several threads"
                + " at once pass the budget for a moment (a region never holds more than its"
                + " capacity)%n",
            row.name(), Sizes.format(row.peakBytes()), Sizes.format(budgetBytes)));
      }
    }
    return notes.toString();
  }
}
