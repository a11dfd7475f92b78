package dev.weakalloc;

import java.io.Serial;

/**
 * Thrown when a value could fit in an empty allocator but not now, because what is left after
 * evicting every unpinned value is pinned by open {@link ArcRef}s (or the room left is too
 * fragmented around pinned blocks).
 */
public final class RegionPinnedException extends AllocationException {
  @Serial private static final long serialVersionUID = 1L;

  private final long pinnedBytes;

  RegionPinnedException(long requestedBytes, long capacityBytes, long pinnedBytes, long usedBytes) {
    super(
        "no room for a value of %d bytes: capacity %d bytes, %d bytes in use of which %d are pinned by open ArcRefs, and nothing else is evictable"
            .formatted(requestedBytes, capacityBytes, usedBytes, pinnedBytes),
        requestedBytes,
        capacityBytes);
    this.pinnedBytes = pinnedBytes;
  }

  /** {@return the bytes held by pinned values when the allocation failed} */
  public long pinnedBytes() {
    return pinnedBytes;
  }
}
