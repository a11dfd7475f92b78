package dev.weakalloc;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The allocator's one lock: carving and releasing blocks, eviction, the recency order and the
 * draining of the buffers happen under it. A {@link ReentrantLock} (as the JDK's old {@code
 * ConcurrentHashMap} segments were) with a way in for allocating threads that spins before it
 * blocks.
 *
 * <h2>Thread safety</h2>
 * Any thread. Fields that it guards carry {@code @GuardedBy("WeakAlloc.lock")}, and so do methods
 * called only under it. Holds no off-heap memory.
 */
final class AllocationLock extends ReentrantLock {
  private static final long serialVersionUID = 1L;
  /** Tries of the lock before an allocating thread blocks on it. */
  private static final int LOCK_SPINS = 128;

  /**
   * Takes the lock, spinning briefly first: an allocation holds it for a few hundred nanoseconds,
   * and parking a waiting thread costs microseconds, so two giving threads would otherwise spend
   * more time parked than allocating. The spin reads the lock's state and tries to take it only
   * when it looks free, so that a waiting thread does not pull the lock's cache line away from the
   * holder with a failing compare-and-set on every turn.
   */
  void lockForAllocation() {
    for (int spin = 0; spin < LOCK_SPINS; spin++) {
      if (!isLocked() && tryLock()) {
        return;
      }
      Thread.onSpinWait();
    }
    lock();
  }
}
