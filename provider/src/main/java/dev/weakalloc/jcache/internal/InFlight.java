package dev.weakalloc.jcache.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts operations in flight, so that a thread that changed what they depend on can wait for
 * those that began before its change: a cache's puts that skip their computation because no
 * listener is registered, and the registration of a listener, which must not return while such a
 * put could still land unannounced.
 *
 * <p>An operation calls {@link #enter}, then reads the state it depends on (a volatile read), and
 * calls {@link #exit} with what {@code enter} returned when it is done. The changing thread writes
 * that state (a volatile write), then calls {@link #awaitEarlier}. Both sides' accesses are
 * volatile, so in their one order either the operation's read sees the change, or the wait's read
 * of its stripe sees the operation's entry and waits for its exit.
 *
 * <p>Each stripe counts the operations in it, up on entry and down on exit. The wait reads each
 * stripe until it finds it at zero: at that moment every operation of the stripe that entered
 * before has exited, and every one that enters after sees the change. Operations that enter after
 * the change are in flight only for that read, so a stripe returns to zero at once. Stripes are
 * chosen by thread and sit 128 bytes apart, so that threads entering at once rarely write the same
 * cache line.
 *
 * <p>Thread safety: thread-safe. {@code enter} and {@code exit} are lock-free and called in pairs by
 * one thread; {@code awaitEarlier} by any thread, which it makes spin, then yield. Holds no
 * off-heap memory.
 */
public final class InFlight {
  private static final int STRIPES = 16;
  /** Longs between two stripes' counts: 128 bytes. */
  private static final int PAD = 16;

  private final AtomicLongArray counts = new AtomicLongArray(STRIPES * PAD);

  /** {@return the stripe this thread entered, to hand to {@link #exit}} */
  public int enter() {
    int stripe = (int) (Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L >>> 60) * PAD;
    counts.getAndIncrement(stripe);
    return stripe;
  }

  /** Ends an operation that {@link #enter} began, with the stripe it returned. */
  public void exit(int stripe) {
    counts.getAndDecrement(stripe);
  }

  /** Waits until every operation that entered before this call has exited. */
  public void awaitEarlier() {
    for (int stripe = 0; stripe < STRIPES * PAD; stripe += PAD) {
      for (int spins = 0; counts.get(stripe) != 0; spins++) {
        if (spins < 64) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
    }
  }
}
