package dev.weakalloc.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * A bounded multi-producer single-consumer queue of writes to apply to the recency order, after
 * Caffeine's write buffer: a give records its new value without taking a lock, and the lock holder
 * applies the records in batches. Unlike the {@link ReadBuffer} it never drops a record: a full
 * buffer refuses the offer, and the producer then takes the lock and drains it itself.
 *
 * <h2>Thread safety</h2>
 * {@link #offer} and {@link #pending} may be called by any thread at any time; {@link #drainTo},
 * {@link #drainAllClaimed} and {@link #peekPublished} by one thread at a time (the holder of the
 * owner's lock). Records offered by one thread are
 * drained in the order offered, and a record whose offer returned before another's began is
 * drained first.
 *
 * <h2>Implementation notes</h2>
 * A ring of slots with a write counter (CAS by producers) and a read counter (written by the
 * consumer only), as JCTools' {@code MpscArrayQueue}. A producer claims slot {@code w} by CAS of
 * the write counter once it has seen that the consumer is less than a ring behind, then publishes
 * the record with a volatile store. The consumer reads slots {@code [r, w)} with acquire loads,
 * clears each slot before it moves the read counter on (with a release store, so that a producer
 * that sees the counter also sees the slot cleared), and stops at a slot whose record is not yet
 * published: a producer descheduled between its claim and its store delays the records behind
 * it to a later drain, and never makes the consumer wait. The counters sit 128 bytes apart.
 *
 * <p>The store that publishes a record is volatile, not merely a release: a producer that then
 * reads a volatile flag (the owner's {@code closed}) must not have that read move before its
 * record becomes visible, or a consumer that set the flag and then drained could miss both.
 *
 * @param <E> the type of records
 */
public final class WriteBuffer<E> {
  private static final int PAD = 16;
  private static final int WRITES = 0;
  private static final int READS = PAD;

  private final int capacity;
  private final AtomicReferenceArray<E> slots;
  private final AtomicLongArray counters = new AtomicLongArray(2 * PAD);

  /**
   * Creates a buffer of {@code capacity} records.
   *
   * @throws IllegalArgumentException if the capacity is not a power of two
   */
  public WriteBuffer(int capacity) {
    if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    this.capacity = capacity;
    this.slots = new AtomicReferenceArray<>(capacity);
  }

  /**
   * Adds {@code e} at the tail. Lock-free; called from any thread.
   *
   * @return true if added, false if the buffer is full (nothing changed: drain it, then offer again)
   */
  public boolean offer(E e) {
    while (true) {
      long write = counters.get(WRITES);
      if (write - counters.getAcquire(READS) >= capacity) {
        return false;
      }
      if (counters.compareAndSet(WRITES, write, write + 1)) {
        slots.set((int) (write & (capacity - 1)), e);
        return true;
      }
    }
  }

  /** {@return how many records are claimed and not yet drained} A snapshot; any thread. */
  public int pending() {
    return (int) (counters.get(WRITES) - counters.getAcquire(READS));
  }

  /**
   * Hands every record claimed before this call to {@code consumer}, oldest first, waiting for
   * those claimed but not yet published: for a clear or a close, which must see every give that
   * returned before it. A producer publishes right after its claim and takes no lock in between,
   * so the wait ends as soon as the producers it waits for are scheduled. Called by one thread at
   * a time (the owner's lock holder).
   */
  public void drainAllClaimed(Consumer<? super E> consumer) {
    long claimed = counters.get(WRITES);
    for (int spins = 0; counters.getAcquire(READS) - claimed < 0; spins++) {
      drainTo(consumer);
      if (spins > 64) {
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
  }

  /**
   * Shows {@code visitor} the first {@code limit} records the next {@link #drainTo} would hand over
   * (those published, up to the first claimed but not yet published), oldest first, without taking
   * them: a consumer may first read what applying each will touch, so that the batch's cache misses
   * overlap (a limit keeps what it read in the caches until it applies them). Called by the thread
   * that drains (the owner's lock holder); the records stay in the buffer.
   */
  public void peekPublished(int limit, Consumer<? super E> visitor) {
    long read = counters.getPlain(READS);
    long write = Math.min(counters.getAcquire(WRITES), read + limit);
    for (; read < write; read++) {
      E e = slots.getAcquire((int) (read & (capacity - 1)));
      if (e == null) {
        return;
      }
      visitor.accept(e);
    }
  }

  /**
   * Hands every published record to {@code consumer}, oldest first, stopping at the first one
   * claimed but not yet published. Called by one thread at a time (the owner's lock holder).
   */
  public void drainTo(Consumer<? super E> consumer) {
    long read = counters.getPlain(READS);
    long write = counters.getAcquire(WRITES);
    if (read == write) {
      return; // empty: leave the read counter's cache line unwritten
    }
    try {
      while (read < write) {
        int slot = (int) (read & (capacity - 1));
        E e = slots.getAcquire(slot);
        if (e == null) {
          break; // claimed but not yet published: picked up by a later drain
        }
        slots.setPlain(slot, null);
        read++;
        consumer.accept(e);
      }
    } finally {
      counters.setRelease(READS, read); // past a record whose consumer threw, too
    }
  }
}
