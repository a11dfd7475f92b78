package dev.weakalloc.samples.region;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows the progress of a task of known size: on a terminal, a bar redrawn in place with {@code
 * \r}; elsewhere (a log, a pipe), a line at every quarter.
 *
 * <p>Thread-safe: any thread may call {@link #step()}; each redraw is printed whole, and a redraw
 * never goes back to a smaller count than one already shown.
 */
final class ProgressBar {
  private static final int WIDTH = 30;

  private final String label;
  private final long total;
  private final PrintStream out;
  private final boolean terminal;
  private final int buckets;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong shown = new AtomicLong(-1);
  /** The largest count drawn: a draw that lost the race to a later one is skipped. Guarded by this. */
  private long drawn = -1;

  ProgressBar(String label, long total, PrintStream out, boolean terminal) {
    this.label = label;
    this.total = Math.max(1, total);
    this.out = out;
    this.terminal = terminal;
    this.buckets = terminal ? 100 : 4;
  }

  /** {@return whether standard output is a terminal} */
  static boolean isTerminal() {
    return System.console() != null && System.console().isTerminal();
  }

  /** Counts one unit of work done. */
  void step() {
    long now = done.incrementAndGet();
    long bucket = now * buckets / total;
    long last = shown.get();
    if (bucket > last && shown.compareAndSet(last, bucket)) {
      draw(now);
    }
  }

  /** Ends the bar's line, on a terminal with the final count drawn (100 % when every step ran). */
  synchronized void finish() {
    if (terminal) {
      drawn = -1;
      draw(done.get());
      out.println();
    }
  }

  private synchronized void draw(long now) {
    if (now <= drawn) {
      return; // another thread drew a later count first
    }
    drawn = now;
    int filled = (int) (now * WIDTH / total);
    String line = String.format("%-18s [%s%s] %3d%% %d/%d", label, "#".repeat(filled),
        " ".repeat(WIDTH - filled), now * 100 / total, now, total);
    if (terminal) {
      out.print("\r" + line);
      out.flush();
    } else {
      out.println(line);
    }
  }
}
