package dev.weakalloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds {@link ArcRef}s that became unreachable without {@code close()}, so that their pins are
 * dropped: a leak pins memory until the garbage collector notices, never for ever. Every open pin
 * is tracked; nothing is sampled.
 *
 * <h2>Implementation notes</h2>
 * What a {@link java.lang.ref.Cleaner} does, at a lower cost per pin. Each pin is a {@link
 * Tracked} phantom reference to its {@code ArcRef}. A phantom reference is enqueued only while it
 * is itself reachable, so each one sits in a slot of a table until its pin closes or leaks. The
 * table is striped by thread, and a slot is taken with one compare-and-set from null (a {@code
 * Cleaner} takes a monitor to insert and another to remove) and given back with one release
 * store by whoever owns the tracked pin's end (its first {@code close()}, or this class's thread
 * for a leak; the pin's closed flag decides which). A stripe whose first {@value #PROBES} slots
 * from its hint are taken (many pins held open at once) sends the pin to a concurrent set
 * instead: slower, never lost.
 *
 * <p>A pin that closes clears its reference first, while its {@code ArcRef} is still strongly
 * reachable (the closing thread holds it), so the collector never enqueues a closed pin: a closed
 * pin costs the collector nothing, and the daemon thread sees only leaks.
 *
 * <h2>Thread safety</h2>
 * Thread-safe: any thread tracks and untracks; one daemon thread, {@code weakalloc-pin-cleaner},
 * handles leaks. Benign race: a stripe's {@code hint} is read and written without
 * synchronization; a stale hint only costs probes.
 */
final class LeakTracker {
  private static final int SLOTS = 1 << 10;
  private static final int PROBES = 16;
  private static final int SLOT_BITS = 16;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Tracked[].class);

  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
  private static final Stripe[] STRIPES = newStripes();
  private static final Set<Tracked> OVERFLOW = ConcurrentHashMap.newKeySet();

  static {
    Thread.ofPlatform().daemon().name("weakalloc-pin-cleaner").start(LeakTracker::handleLeaks);
  }

  private LeakTracker() {}

  /**
   * A phantom reference to a tracked object, with what to do when that object leaks. The slot it
   * holds in the table is written before the compare-and-set that publishes it.
   */
  abstract static class Tracked extends PhantomReference<Object> {
    /** Stripe index in the high bits and slot index in the low ones, or -1 in the overflow set. */
    private int slot = -1;

    Tracked(Object referent) {
      super(referent, QUEUE);
    }

    /** Called once, from the tracker's thread, after the referent became unreachable. */
    abstract void leaked();
  }

  /** A stripe of slots; {@code hint} is where the next free slot probably is. */
  private static final class Stripe {
    final Tracked[] slots = new Tracked[SLOTS];
    int hint;
  }

  private static Stripe[] newStripes() {
    int count = Integer.highestOneBit(Math.clamp(4L * Runtime.getRuntime().availableProcessors(), 4, 64));
    Stripe[] stripes = new Stripe[count];
    for (int i = 0; i < count; i++) {
      stripes[i] = new Stripe();
    }
    return stripes;
  }

  /** Keeps {@code tracked} reachable until {@link #untrack}: its referent's leak will be seen. */
  static void track(Tracked tracked) {
    long id = Thread.currentThread().threadId();
    int stripeIndex = (int) (id ^ (id >>> 7)) & (STRIPES.length - 1);
    Stripe stripe = STRIPES[stripeIndex];
    Tracked[] slots = stripe.slots;
    int i = stripe.hint;
    for (int probe = 0; probe < PROBES; probe++, i = (i + 1) & (SLOTS - 1)) {
      if (slots[i] == null) {
        tracked.slot = stripeIndex << SLOT_BITS | i;
        if (SLOT.compareAndSet(slots, i, null, tracked)) {
          stripe.hint = (i + 1) & (SLOTS - 1);
          return;
        }
      }
    }
    tracked.slot = -1;
    OVERFLOW.add(tracked);
  }

  /**
   * Lets {@code tracked} go. Called once per tracked object, by the one thread that ended it, and
   * after its reference was cleared or enqueued.
   */
  static void untrack(Tracked tracked) {
    int slot = tracked.slot;
    if (slot < 0) {
      OVERFLOW.remove(tracked);
    } else {
      SLOT.setRelease(STRIPES[slot >>> SLOT_BITS].slots, slot & (SLOTS - 1), null);
    }
  }

  /** The daemon thread: ends what the collector found unreachable. Never returns. */
  private static void handleLeaks() {
    while (true) {
      try {
        ((Tracked) QUEUE.remove()).leaked();
      } catch (Throwable e) {
        // As a Cleaner's thread: an interrupt or an action's failure ends nothing else.
      }
    }
  }
}
