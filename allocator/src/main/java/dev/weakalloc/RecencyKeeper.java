package dev.weakalloc;

import dev.weakalloc.internal.GuardedBy;
import dev.weakalloc.internal.ReadBuffer;
import dev.weakalloc.internal.WriteBuffer;
import java.util.function.Consumer;

/**
 * Keeps a {@link WeakAlloc}'s recency order: the {@link RecencyList} of its values, least recently
 * used first, the access ticks that say how recent a value is, and the two buffers through which
 * threads without the lock record a hit or a give for the lock holder to apply. Also counts gives
 * and hits for the {@link AdmissionPolicy}, when there is one.
 *
 * <h2>Thread safety</h2>
 * {@link #recordAccess} and {@link #enterRecency} may be called by any thread, without the lock:
 * they offer to a buffer and, when it is due, drain it if the lock is free (or, for a full write
 * buffer, wait for the lock). Every other method is called under the allocator's lock, {@code
 * WeakAlloc.lock}. Holds no off-heap memory; the list's arrays and the buffers are heap memory of
 * the allocator.
 *
 * <h2>Implementation notes</h2>
 * <b>Hits.</b> A hit records the use in a lossy striped {@link ReadBuffer}; the lock holder applies
 * the uses in batches, moving each value to the recent end. Uses of values already among the newest
 * {@code 1/2^RECENT_SHIFT} (an eighth) of the order are not recorded: moving them would not change
 * which values are evicted next, and hot values are the ones read most (memcached's bump interval,
 * by position instead of time). With admission on, those hits are buffered too, so that the
 * hottest values are counted. The order is therefore exact up to that eighth and the records not
 * yet drained or dropped.
 *
 * <p><b>Gives without the lock.</b> A give that reuses a released block queues its value in a
 * bounded {@link WriteBuffer}, which never drops a record; the lock holder applies the gives first,
 * then the hits, through the allocator's {@code applyWrite}, which enters the value or settles it
 * (see {@link WeakAlloc}'s notes on values not yet in the recency order and on closing).
 *
 * <p><b>Admission.</b> The lock holder records the hash of every give that has one ({@link
 * #recordGive}), and the drain of the read buffer the hash of every hit.
 */
final class RecencyKeeper {
  /** Uses of values in the newest 1/8 of the recency order are not recorded. */
  private static final int RECENT_SHIFT = 3;
  /** Gives without the lock that may wait to enter the recency order; a full buffer blocks. */
  private static final int WRITE_BUFFER_CAPACITY = 1024;
  /** Waiting gives past which the giving thread drains them, if the lock is free. */
  private static final int WRITE_DRAIN_THRESHOLD = 64;

  private final AllocationLock lock;
  /** The admission policy, or null for {@link Admission#NONE}; its state is guarded by the lock. */
  private final AdmissionPolicy admission;
  private final ReadBuffer<WeakRef<?>> readBuffer = new ReadBuffer<>();
  /** Values given without the lock, to be entered in the recency order by the lock holder. */
  private final WriteBuffer<WeakRef<?>> writeBuffer = new WriteBuffer<>(WRITE_BUFFER_CAPACITY);
  // The lock holder's callbacks, made once rather than a lambda per drain.
  private final Consumer<WeakRef<?>> applyAccess = this::applyAccess;
  private final Consumer<WeakRef<?>> touchReplaced = this::touchReplaced;
  /** The allocator's: enters or settles a value given without the lock. Under the lock. */
  private final Consumer<WeakRef<?>> applyWrite;

  @GuardedBy("WeakAlloc.lock")
  private final RecencyList order = new RecencyList();
  // Both ticks are written under the lock and read without it by recordAccess: see there.
  @GuardedBy("WeakAlloc.lock")
  private long accessTick;
  /** The size of the newest part of the recency order, in ticks, whose uses are not recorded. */
  @GuardedBy("WeakAlloc.lock")
  private long recentTicks;
  /** Keeps the loads of {@link #touchReplaced} from being dropped as dead code; never read. */
  @GuardedBy("WeakAlloc.lock")
  private int touched;

  RecencyKeeper(AllocationLock lock, AdmissionPolicy admission, Consumer<WeakRef<?>> applyWrite) {
    this.lock = lock;
    this.admission = admission;
    this.applyWrite = applyWrite;
  }

  /** {@return the recency order itself, for eviction and clearing} Under the lock. */
  @GuardedBy("WeakAlloc.lock")
  RecencyList order() {
    return order;
  }

  /**
   * Records a use of {@code ref}; lock-free. Called from any thread after a successful pin.
   *
   * <p>A value among the newest {@code 1/2^RECENT_SHIFT} of the recency order is not recorded: see
   * the class notes. Benign race: both ticks are written under the lock and read here without it;
   * a stale read records a use that could have been skipped, or skips one that the next read
   * records.
   */
  void recordAccess(WeakRef<?> ref) {
    if (accessTick - ref.accessTick < recentTicks && admission == null) {
      return;
    }
    if (readBuffer.offer(ref) == ReadBuffer.Offer.FULL) {
      drainIfLockFree();
    }
  }

  /**
   * Queues a value given without the lock for the recency order. The thread that finds the buffer
   * due drains it if the lock is free; one that finds it full drains it under the lock, waiting.
   * Any thread.
   */
  void enterRecency(WeakRef<?> ref) {
    if (!writeBuffer.offer(ref)) {
      lock.lock();
      try {
        drainWriteBuffer();
        applyWrite.accept(ref);
      } finally {
        lock.unlock();
      }
    } else if (writeBuffer.pending() >= WRITE_DRAIN_THRESHOLD) {
      drainIfLockFree();
    }
  }

  private void drainIfLockFree() {
    if (lock.tryLock()) {
      try {
        drainBuffers();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Applies the gives and the uses recorded without the lock, gives first. Under the lock. */
  @GuardedBy("WeakAlloc.lock")
  void drainBuffers() {
    drainWriteBuffer();
    readBuffer.drainTo(applyAccess);
  }

  @GuardedBy("WeakAlloc.lock")
  private void drainWriteBuffer() {
    writeBuffer.peekPublished(WRITE_DRAIN_THRESHOLD, touchReplaced);
    writeBuffer.drainTo(applyWrite);
  }

  /**
   * Reads the recency links that {@code applyWrite} will change for {@code ref}: those of the
   * value whose block it took, which leaves the order. Applied to a whole batch before any of it is
   * applied, so that the batch's cache misses overlap (see {@link RecencyList#touch}). Under the
   * lock.
   */
  @GuardedBy("WeakAlloc.lock")
  private void touchReplaced(WeakRef<?> ref) {
    WeakRef<?> previous = ref.replaces;
    if (previous != null) {
      touched += order.touch(previous);
    }
  }

  /**
   * Applies every give whose offer to the write buffer returned before this call, waiting for
   * those still publishing their record. Under the lock; for a clear and the close.
   */
  @GuardedBy("WeakAlloc.lock")
  void drainAllClaimedWrites() {
    writeBuffer.drainAllClaimed(applyWrite);
  }

  /** Counts a give in the admission sketch (sized to the values held). Under the lock. */
  @GuardedBy("WeakAlloc.lock")
  void recordGive(long hash) {
    if (admission != null && hash != AdmissionPolicy.NO_HASH) {
      admission.ensureCapacity(order.size(), order);
      admission.record(hash);
    }
  }

  /** Enters {@code ref} at the recent end of the order, as the newest use. Under the lock. */
  @GuardedBy("WeakAlloc.lock")
  void addNewest(WeakRef<?> ref) {
    ref.accessTick = ++accessTick;
    order.addLast(ref);
    recentTicks = order.size() >>> RECENT_SHIFT;
  }

  /** Sizes the newest part of the order again, after values left it. Under the lock. */
  @GuardedBy("WeakAlloc.lock")
  void sizeChanged() {
    recentTicks = order.size() >>> RECENT_SHIFT;
  }

  /**
   * Takes a removed value off the recency order if it is on it: a value given without the lock
   * may be removed before the write buffer enters it. Under the lock.
   */
  @GuardedBy("WeakAlloc.lock")
  void unlinkIfListed(WeakRef<?> ref) {
    if (order.contains(ref)) {
      order.remove(ref);
    }
  }

  @GuardedBy("WeakAlloc.lock")
  private void applyAccess(WeakRef<?> ref) {
    if (admission != null) {
      admission.record(ref.admissionHash);
    }
    if (order.contains(ref) && ref.isPresent() && accessTick - ref.accessTick >= recentTicks) {
      order.moveToLast(ref);
      ref.accessTick = ++accessTick;
    }
  }
}
