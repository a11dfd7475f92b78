package dev.weakalloc;

import java.io.Serial;

/**
 * Thrown at once, before anything is evicted, for a value that could never fit: larger than the
 * largest block the allocator can hold.
 */
public final class ValueTooLargeException extends AllocationException {
  @Serial private static final long serialVersionUID = 1L;

  private final long maxAllocation;

  ValueTooLargeException(long requestedBytes, long maxAllocation, long capacityBytes) {
    super(
        "value of %d bytes can never fit: the largest value this allocator can hold is %d bytes (capacity %d bytes)"
            .formatted(requestedBytes, maxAllocation, capacityBytes),
        requestedBytes,
        capacityBytes);
    this.maxAllocation = maxAllocation;
  }

  /** {@return the largest value the allocator can hold, in bytes} */
  public long maxAllocation() {
    return maxAllocation;
  }
}
