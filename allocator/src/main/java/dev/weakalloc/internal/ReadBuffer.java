package dev.weakalloc.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * A lossy, striped, multi-producer single-consumer buffer of recent reads, after Caffeine's
 * {@code BoundedBuffer}: readers record a use without taking a lock, and the lock holder drains
 * the uses in batches into the recency order.
 *
 * <h2>Thread safety</h2>
 * {@link #offer} may be called by any thread at any time; {@link #drainTo} by one thread at a
 * time (the holder of the owner's lock). A full stripe or a lost race drops the record: the
 * recency order is then approximate, by at most one drain window.
 *
 * <h2>Implementation notes</h2>
 * Each stripe is a ring of {@link #SLOTS} slots with a write counter (CAS by producers) and a read
 * counter (written by the consumer only). A producer claims slot {@code w} by CAS of the write
 * counter and then publishes the element with a release store; the consumer reads slots {@code
 * [r, w)} with acquire loads and stops at a slot whose element is not yet published. Counters are
 * spaced 16 longs (128 bytes) apart so that stripes do not share cache lines.
 *
 * @param <E> the type of records
 */
public final class ReadBuffer<E> {
  /** What {@link #offer} did. */
  public enum Offer {
    /** Recorded. */
    ADDED,
    /** Dropped because another thread won the slot. */
    LOST_RACE,
    /** Dropped because the stripe is full: time to drain. */
    FULL
  }

  static final int SLOTS = 16;
  private static final int PAD = 16;

  private final int stripeMask;
  private final AtomicReferenceArray<E> slots;
  private final AtomicLongArray writeCounts;
  private final AtomicLongArray readCounts;

  /** Creates a buffer with a stripe count suited to this machine's processors. */
  public ReadBuffer() {
    this(Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1) << 1);
  }

  ReadBuffer(int stripes) {
    if (Integer.bitCount(stripes) != 1) {
      throw new IllegalArgumentException("stripes must be a power of two: " + stripes);
    }
    this.stripeMask = stripes - 1;
    this.slots = new AtomicReferenceArray<>(stripes * SLOTS);
    this.writeCounts = new AtomicLongArray(stripes * PAD);
    this.readCounts = new AtomicLongArray(stripes * PAD);
  }

  /** Records {@code e}, unless the stripe is full or contended. Lock-free; called from any thread. */
  public Offer offer(E e) {
    int stripe = stripeOf(Thread.currentThread());
    int counter = stripe * PAD;
    long write = writeCounts.getOpaque(counter);
    long read = readCounts.getAcquire(counter);
    if (write - read >= SLOTS) {
      return Offer.FULL;
    }
    if (!writeCounts.weakCompareAndSetVolatile(counter, write, write + 1)) {
      return Offer.LOST_RACE;
    }
    slots.setRelease(stripe * SLOTS + (int) (write & (SLOTS - 1)), e);
    return Offer.ADDED;
  }

  /**
   * Hands every published record to {@code consumer}, oldest first per stripe. Called by one
   * thread at a time (the owner's lock holder).
   */
  public void drainTo(Consumer<? super E> consumer) {
    for (int stripe = 0; stripe <= stripeMask; stripe++) {
      int counter = stripe * PAD;
      long read = readCounts.getPlain(counter);
      long write = writeCounts.getAcquire(counter);
      if (read == write) {
        continue; // empty: leave the stripe's cache lines unwritten
      }
      for (; read < write; read++) {
        int slot = stripe * SLOTS + (int) (read & (SLOTS - 1));
        E e = slots.getAcquire(slot);
        if (e == null) {
          break; // claimed but not yet published: pick it up next time
        }
        slots.setPlain(slot, null);
        consumer.accept(e);
      }
      readCounts.setRelease(counter, read);
    }
  }

  private int stripeOf(Thread thread) {
    long id = thread.threadId();
    return (int) (id ^ (id >>> 16)) * 0x9E3779B9 >>> 16 & stripeMask;
  }
}
