package dev.weakalloc.internal;

import dev.weakalloc.MemoryAllocator;
import java.lang.foreign.MemorySegment;

/**
 * Wraps an allocator and refuses allocations that would take its blocks past a limit, like the
 * seed's {@code limit-alloc}. Counts blocks as the inner allocator sizes them.
 *
 * <p>Thread safety as every {@link MemoryAllocator}: its {@code WeakAlloc} serializes calls, except
 * {@code segment}, {@code read} and {@code blockSize}, which only forward to the inner allocator.
 * It owns the inner allocator and closes it.
 */
public final class LimitAllocator implements MemoryAllocator {
  private final MemoryAllocator inner;
  private final long limit;

  /**
   * @throws IllegalArgumentException if the limit is not positive
   */
  public LimitAllocator(MemoryAllocator inner, long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    this.inner = java.util.Objects.requireNonNull(inner, "inner");
    this.limit = limit;
  }

  @Override
  public long allocate(long byteSize) {
    if (inner.allocatedBytes() + inner.blockSize(byteSize) > limit) {
      return NO_ROOM;
    }
    long address = inner.allocate(byteSize);
    // The inner allocator may hand out more than blockSize (the region gives a whole free block
    // when the rest would be too small to split off): check again after the fact.
    if (address != NO_ROOM && inner.allocatedBytes() > limit) {
      inner.free(address);
      return NO_ROOM;
    }
    return address;
  }

  @Override
  public void free(long address) {
    inner.free(address);
  }

  @Override
  public MemorySegment segment(long address, long byteSize) {
    return inner.segment(address, byteSize);
  }

  @Override
  public void read(long address, byte[] dst) {
    inner.read(address, dst);
  }

  @Override
  public long blockSize(long byteSize) {
    return inner.blockSize(byteSize);
  }

  @Override
  public long maxAllocation() {
    long max = Math.min(inner.maxAllocation(), limit);
    while (max > 0 && inner.blockSize(max) > limit) {
      max -= inner.blockSize(max) - limit;
    }
    return Math.max(0, max);
  }

  @Override
  public boolean freedMemoryStaysMapped() {
    return inner.freedMemoryStaysMapped();
  }

  @Override
  public long capacity() {
    return Math.min(limit, inner.capacity());
  }

  @Override
  public long allocatedBytes() {
    return inner.allocatedBytes();
  }

  @Override
  public long committedBytes() {
    return inner.committedBytes();
  }

  @Override
  public void close() {
    inner.close();
  }

  @Override
  public String toString() {
    return "LimitAllocator[limit=" + limit + ", inner=" + inner + "]";
  }
}
