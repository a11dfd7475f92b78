package dev.weakalloc;

import java.io.Serial;

/**
 * Thrown when a {@link WeakAlloc} cannot find room for a value even after evicting everything it
 * may evict. Nothing was allocated and no other value was damaged.
 *
 * @see ValueTooLargeException
 * @see RegionPinnedException
 */
public abstract sealed class AllocationException extends RuntimeException
    permits ValueTooLargeException, RegionPinnedException {
  @Serial private static final long serialVersionUID = 1L;

  private final long requestedBytes;
  private final long capacityBytes;

  AllocationException(String message, long requestedBytes, long capacityBytes) {
    super(message);
    this.requestedBytes = requestedBytes;
    this.capacityBytes = capacityBytes;
  }

  /** {@return the size of the value that did not fit, in bytes} */
  public long requestedBytes() {
    return requestedBytes;
  }

  /** {@return the allocator's capacity, in bytes} */
  public long capacityBytes() {
    return capacityBytes;
  }
}
