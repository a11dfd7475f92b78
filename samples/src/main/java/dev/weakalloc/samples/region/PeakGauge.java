package dev.weakalloc.samples.region;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest value recorded so far, for the "peak region use" column.
 *
 * <p>Thread-safe.
 */
final class PeakGauge {
  private final AtomicLong peak = new AtomicLong();

  /** Records a value; keeps it if it is the highest so far. */
  void record(long value) {
    peak.accumulateAndGet(value, Math::max);
  }

  /** {@return the highest value recorded, 0 if none} */
  long peak() {
    return peak.get();
  }
}
