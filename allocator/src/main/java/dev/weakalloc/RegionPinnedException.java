package dev.weakalloc;

import java.io.Serial;

/**
 * Thrown when a value could fit in an empty allocator but not now: the values pinned by open
 * {@link ArcRef}s (or by reads and writes that stayed in progress for longer than a give waits)
 * split the rest of the region so that no run of evictable and free blocks is large enough. The
 * give evicted nothing: the allocator is as it was.
 */
public final class RegionPinnedException extends AllocationException {
  @Serial private static final long serialVersionUID = 1L;

  private final long pinnedBytes;
  private final long largestRunBytes;

  RegionPinnedException(
      long requestedBytes,
      long capacityBytes,
      long usedBytes,
      long pinnedBytes,
      long transientPinnedBytes,
      long largestRunBytes) {
    super(
        ("no room for a value of %d bytes: capacity %d bytes, %d bytes in use, %d pinned by open"
                + " ArcRefs and %d by reads or writes in progress; around the pinned values,"
                + " eviction could make at most %d bytes of room in one piece, so nothing was"
                + " evicted")
            .formatted(requestedBytes, capacityBytes, usedBytes, pinnedBytes, transientPinnedBytes,
                largestRunBytes),
        requestedBytes,
        capacityBytes);
    this.pinnedBytes = pinnedBytes;
    this.largestRunBytes = largestRunBytes;
  }

  /** {@return the bytes held by values pinned by open {@link ArcRef}s when the give failed} */
  public long pinnedBytes() {
    return pinnedBytes;
  }

  /**
   * {@return the largest room, in bytes and headers included, that evicting every evictable value
   * could have made in one piece}
   */
  public long largestRunBytes() {
    return largestRunBytes;
  }
}
