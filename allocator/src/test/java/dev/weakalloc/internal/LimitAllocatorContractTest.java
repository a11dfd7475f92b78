package dev.weakalloc.internal;

import dev.weakalloc.MemoryAllocator;
import dev.weakalloc.MemoryAllocatorContractTest;
import dev.weakalloc.internal.nativemem.SystemAllocator;
import org.junit.jupiter.api.Nested;

/** The {@link MemoryAllocator} contract for a limit over a region and over the system allocator. */
class LimitAllocatorContractTest {

  @Nested
  class OverRegion extends MemoryAllocatorContractTest {
    private RegionInspector inspector;

    @Override
    protected MemoryAllocator create() {
      RegionAllocator region = new RegionAllocator(256 << 10, 64 << 10);
      inspector = new RegionInspector(region);
      return new LimitAllocator(region, 150_000);
    }

    @Override
    protected boolean coalesces() {
      return true;
    }

    @Override
    protected void checkInvariants() {
      inspector.checkInvariants();
    }

    @Override
    protected long actualBlockSize(long address, long byteSize) {
      return inspector.blockSizeAt(address);
    }
  }

  @Nested
  class OverSystem extends MemoryAllocatorContractTest {
    @Override
    protected MemoryAllocator create() {
      return new LimitAllocator(new SystemAllocator(), 200_000);
    }
  }
}
