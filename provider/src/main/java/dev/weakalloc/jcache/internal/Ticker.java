package dev.weakalloc.jcache.internal;

/**
 * A source of nanosecond time for expiry and statistics; tests substitute a fake one.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {
  /**
   * {@return a monotonic, non-negative time in nanoseconds, comparable only with other readings of
   * the same ticker}
   */
  long nanos();

  /** {@return the ticker over {@link System#nanoTime()}, counted from the class's loading} */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }

  /** Nanoseconds since this class was loaded, so that sums never overflow in practice. */
  enum SystemTicker implements Ticker {
    INSTANCE;

    private static final long ORIGIN = System.nanoTime();

    @Override
    public long nanos() {
      return System.nanoTime() - ORIGIN;
    }
  }
}
