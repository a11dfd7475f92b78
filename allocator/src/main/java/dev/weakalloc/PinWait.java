package dev.weakalloc;

import java.util.concurrent.locks.LockSupport;

/**
 * A give's wait for transient pins (reads and writes in progress) that stand between it and room:
 * spins, then yields, then parks for 20 µs at a time, and gives up after {@link
 * #PIN_PATIENCE_NANOS} or when the thread is interrupted (whose status it keeps).
 *
 * <h2>Thread safety</h2>
 * Not thread-safe: made and used by one giving thread, which pauses without the allocator's lock
 * and plans again after each pause. Holds no off-heap memory.
 *
 * <h2>Implementation notes</h2>
 * Reads ({@link WeakRef#getIfPresent()}) and writes in progress pin their value for microseconds.
 * A give that only such pins stand in the way of releases the lock, waits here and plans again; it
 * fails only if they outlast {@link #PIN_PATIENCE_NANOS} (a codec that blocks in {@code decode},
 * say) or the thread is interrupted: it then treats them as it treats the pins of open {@link
 * ArcRef}s, which are never waited for.
 */
final class PinWait {
  /**
   * How long a give waits for transient pins (reads and writes in progress) that stand between it
   * and room, before it treats them as it treats open {@link ArcRef}s and fails.
   */
  static final long PIN_PATIENCE_NANOS = 1_000_000_000L;

  private final long since = System.nanoTime();
  private int pauses;

  /** {@return whether the give may still wait rather than fail} */
  boolean patient() {
    return System.nanoTime() - since < PIN_PATIENCE_NANOS && !Thread.currentThread().isInterrupted();
  }

  void pause() {
    pauses++;
    if (pauses < 16) {
      Thread.onSpinWait();
    } else if (pauses < 64) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(20_000);
    }
  }
}
