package dev.weakalloc.samples.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's table, and the note under it when a cache's peak passed the budget. */
class ResultTableTest {
  private static RunResult row(String name, long peak) {
    return new RunResult(name, 100, 90, 10, 5, 10, peak, Duration.ofSeconds(1));
  }

  @Test
  void overBudgetNotes_explainARowThatPassedTheBudget_andOnlyThatOne() {
    String notes = ResultTable.overBudgetNotes(
        List.of(row("weak-alloc", 60L << 20), row("no cache", -1), row("Caffeine", 70L << 20)), 64L << 20);

    assertThat(notes.lines()).hasSize(1).first().asString()
        .startsWith("note: Caffeine peaked at 70.0 MiB, over the 64.0 MiB budget: it stores a value"
            + " before its maintenance evicts for it");
  }

  @Test
  void overBudgetNotes_noRowOver_isEmpty() {
    assertThat(ResultTable.overBudgetNotes(List.of(row("weak-alloc", 64L << 20)), 64L << 20)).isEmpty();
  }
}
