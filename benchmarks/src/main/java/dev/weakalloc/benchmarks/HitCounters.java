package dev.weakalloc.benchmarks;

import java.util.Locale;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Hits and misses of a cache-aside benchmark's measured iterations, reported as JMH auxiliary
 * counters. One per benchmark thread ({@link Scope#Thread}), so it needs no synchronization.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class HitCounters {
  /** Requests that found their key. */
  public long hits;
  /** Requests that did not, and inserted it. */
  public long misses;

  /** Resets the counters, as JMH expects. */
  @Setup(Level.Iteration)
  public void reset() {
    hits = 0;
    misses = 0;
  }

  /** Prints this thread's hit ratio over its last iteration. */
  @TearDown(Level.Trial)
  public void print() {
    System.out.printf(
        Locale.ROOT,
        "%nhit ratio (last iteration, one thread): %.2f%%%n",
        100.0 * hits / Math.max(1, hits + misses));
  }

  /** Counts one request and returns {@code hit}; package-private: JMH reads public methods as counters. */
  boolean count(boolean hit) {
    if (hit) {
      hits++;
    } else {
      misses++;
    }
    return hit;
  }
}
