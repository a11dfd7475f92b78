package dev.weakalloc;

import dev.weakalloc.internal.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind a {@link WeakAlloc}'s {@link WeakAllocStats}: what it holds (values, their
 * bytes), what it did (evictions, bytes given, failed gives by size) and what pins it.
 *
 * <h2>Thread safety</h2>
 * Two kinds of counters. Those that change with the recency order and the blocks (live values,
 * value bytes, evictions, bytes given, failures) are plain fields, guarded by the owning {@code
 * WeakAlloc}'s lock: their methods say "under the lock", and a {@link #snapshot} taken under it
 * sees them agree. Those that change on lock-free paths are striped or atomic and may be a moment
 * off in a snapshot: frees ({@link #freeing}), bytes pinned by open {@link ArcRef}s, leaked pins.
 * Holds no off-heap memory.
 *
 * <h2>Implementation notes</h2>
 * A {@link WeakAlloc#free} takes no lock, so live values are counted as values entered less those
 * evicted or cleared (under the lock) less those freed (a striped counter). A free counts before
 * its removal shows, and takes the count back if the value was already gone, so a snapshot may
 * count a value being freed as gone a moment early, never one released as live.
 */
final class AllocatorCounters {
  private static final int HISTOGRAM_BUCKETS = 64;

  @GuardedBy("WeakAlloc.lock")
  private long enteredLessRemoved;
  @GuardedBy("WeakAlloc.lock")
  private long valueBytes;
  @GuardedBy("WeakAlloc.lock")
  private long evictions;
  @GuardedBy("WeakAlloc.lock")
  private long evictedBytes;
  @GuardedBy("WeakAlloc.lock")
  private long allocatedBytesTotal;
  @GuardedBy("WeakAlloc.lock")
  private long failedAllocations;
  @GuardedBy("WeakAlloc.lock")
  private final long[] failedSizes = new long[HISTOGRAM_BUCKETS];

  // Lock-free.
  private final LongAdder freedValues = new LongAdder();
  private final LongAdder pinnedBytes = new LongAdder();
  private final AtomicLong leakedPins = new AtomicLong();
  private final AtomicBoolean leakReported = new AtomicBoolean();

  /** A value entered the allocator with a block of its own. Under the lock. */
  void entered(WeakRef<?> ref) {
    enteredLessRemoved++;
    valueBytes += ref.byteSize();
    allocatedBytesTotal += ref.byteSize();
  }

  /** A removed value's block went to another value, or back to the inner allocator. Under the lock. */
  void blockLeft(WeakRef<?> ref) {
    valueBytes -= ref.byteSize();
  }

  /** A value was evicted. Under the lock. */
  void evicted(WeakRef<?> ref) {
    enteredLessRemoved--;
    evictions++;
    evictedBytes += ref.byteSize();
  }

  /** A value was removed by a clear or the close. Under the lock. */
  void cleared() {
    enteredLessRemoved--;
  }

  /** A give whose write failed is undone: the value was never given. Under the lock. */
  void discarded(WeakRef<?> ref) {
    allocatedBytesTotal -= ref.byteSize();
  }

  /** A give of {@code size} bytes failed. Under the lock. */
  void failed(long size) {
    failedAllocations++;
    failedSizes[size <= 1 ? 0 : 63 - Long.numberOfLeadingZeros(size)]++;
  }

  /** A free is about to remove a value; lock-free. */
  void freeing() {
    freedValues.increment();
  }

  /** The free counted by {@link #freeing} found the value already removed; lock-free. */
  void freeFoundItGone() {
    freedValues.decrement();
  }

  /** Open ArcRefs now pin {@code delta} more bytes; lock-free. */
  void pinned(long delta) {
    pinnedBytes.add(delta);
  }

  /** {@return the bytes pinned by open ArcRefs} A moment off under concurrent pins. */
  long pinnedBytes() {
    return pinnedBytes.sum();
  }

  /** Counts a leaked ArcRef; lock-free. {@return whether it is the first, to be reported} */
  boolean leaked() {
    leakedPins.incrementAndGet();
    return leakReported.compareAndSet(false, true);
  }

  /** {@return the counters as stats, beside the inner allocator's own} Under the lock. */
  WeakAllocStats snapshot(
      MemoryAllocator allocator, long allocatedBlocks, long admissionsRefused, long overheadBytes) {
    List<Long> histogram = new ArrayList<>(HISTOGRAM_BUCKETS);
    for (long count : failedSizes) {
      histogram.add(count);
    }
    return new WeakAllocStats(
        allocator.capacity(),
        allocator.committedBytes(),
        allocator.allocatedBytes(),
        valueBytes,
        pinnedBytes.sum(),
        Math.max(0L, enteredLessRemoved - freedValues.sum()),
        allocatedBlocks,
        evictions,
        evictedBytes,
        allocatedBytesTotal,
        failedAllocations,
        histogram,
        leakedPins.get(),
        admissionsRefused,
        overheadBytes);
  }
}
