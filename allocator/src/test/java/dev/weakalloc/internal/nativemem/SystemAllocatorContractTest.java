package dev.weakalloc.internal.nativemem;

import dev.weakalloc.MemoryAllocator;
import dev.weakalloc.MemoryAllocatorContractTest;

/** The {@link MemoryAllocator} contract for the unbounded system allocator. */
class SystemAllocatorContractTest extends MemoryAllocatorContractTest {
  @Override
  protected MemoryAllocator create() {
    return new SystemAllocator();
  }
}
