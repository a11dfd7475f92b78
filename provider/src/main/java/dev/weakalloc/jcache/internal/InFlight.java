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
 * volatile, so in their one order either the operation's read sees the change, or the wait sees
 * the operation's entry and waits for its exit.
 *
 * <p>Each stripe counts entries and exits apart, and only upwards: the wait takes each stripe's
 * entries once and waits for as many exits, so operations entering after it began (which see the
 * change) never delay it. Stripes are chosen by thread and sit 128 bytes apart, so that threads
 * entering at once rarely write the same cache line.
 *
 * <p>Thread safety: thread-safe. {@code enter} and {@code exit} are lock-free and called in pairs by
 * one thread; {@code awaitEarlier} by any thread, which it makes spin, then yield. Holds no
 * off-heap memory.
 */
public final class InFlight {
  private static final int STRIPES = 16;
  /** Longs between two stripes' counters: 128 bytes. */
  private static final int PAD = 16;
  private static final int EXITS = PAD / 2;

  private final AtomicLongArray counts = new AtomicLongArray(STRIPES * PAD);

  /** {@return the stripe this thread entered, to hand to {@link #exit}} */
  public int enter() {
    int stripe = (int) (Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L >>> 60) * PAD;
    counts.getAndIncrement(stripe);
    return stripe;
  }

  /** Ends an operation that {@link #enter} began, with the stripe it returned. */
  public void exit(int stripe) {
    counts.getAndIncrement(stripe + EXITS);
  }

  /** Waits until every operation that entered before this call has exited. */
  public void awaitEarlier() {
    for (int stripe = 0; stripe < STRIPES * PAD; stripe += PAD) {
      long entered = counts.get(stripe);
      for (int spins = 0; counts.get(stripe + EXITS) < entered; spins++) {
        if (spins < 64) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
    }
  }
}
