package dev.weakalloc;

import java.util.List;

/**
 * A snapshot of a {@link WeakAlloc}'s counters, taken under its lock so that the figures agree
 * with each other. Immutable, so safe to share between threads; it refers to no off-heap memory.
 *
 * @param capacityBytes the bytes the inner allocator may hand out, or {@link Long#MAX_VALUE}
 * @param committedBytes the bytes reserved from the platform so far
 * @param usedBytes the bytes taken by allocated blocks, headers included
 * @param valueBytes the bytes of the values themselves (the payloads of allocated blocks)
 * @param pinnedBytes the payload bytes of values with at least one open {@link ArcRef}
 * @param liveValues the values that can still be upgraded
 * @param allocatedBlocks the allocated blocks: live values plus removed values still pinned
 * @param evictions the values evicted to make room
 * @param evictedBytes the payload bytes of those values
 * @param allocatedBytesTotal the payload bytes given since creation (for eviction amplification)
 * @param failedAllocations the gives that failed even after evicting all it could
 * @param failedSizeHistogram failed gives by size: element {@code i} counts sizes in {@code
 *     [2^i, 2^(i+1))} bytes (element 0 also counts size 0)
 * @param leakedPins the {@link ArcRef}s unpinned by the garbage collector instead of {@code close()}
 * @param admissionsRefused the gives that {@link Admission#TINY_LFU} refused: they would have had
 *     to evict values used more often than themselves, so nothing was stored or evicted
 * @param overheadBytes the heap bytes of the allocator's fixed-size bookkeeping besides the
 *     blocks: the admission sketch (0 without admission)
 */
public record WeakAllocStats(
    long capacityBytes,
    long committedBytes,
    long usedBytes,
    long valueBytes,
    long pinnedBytes,
    long liveValues,
    long allocatedBlocks,
    long evictions,
    long evictedBytes,
    long allocatedBytesTotal,
    long failedAllocations,
    List<Long> failedSizeHistogram,
    long leakedPins,
    long admissionsRefused,
    long overheadBytes) {

  /** Copies the histogram so that the record is immutable. */
  public WeakAllocStats {
    failedSizeHistogram = List.copyOf(failedSizeHistogram);
  }

  /** {@return used bytes over capacity, 0 for an unbounded allocator} */
  public double utilization() {
    return capacityBytes == Long.MAX_VALUE || capacityBytes == 0
        ? 0
        : (double) usedBytes / capacityBytes;
  }
}
