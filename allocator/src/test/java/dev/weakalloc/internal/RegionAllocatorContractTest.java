package dev.weakalloc.internal;

import dev.weakalloc.MemoryAllocator;
import dev.weakalloc.MemoryAllocatorContractTest;
import org.junit.jupiter.api.Nested;

/** The {@link MemoryAllocator} contract for regions of several chunk sizes. */
class RegionAllocatorContractTest {

  /** A region contract test with its invariants checked by a {@link RegionInspector}. */
  abstract static class RegionContract extends MemoryAllocatorContractTest {
    private RegionInspector inspector;

    abstract long capacity();

    abstract long chunkSize();

    @Override
    protected MemoryAllocator create() {
      RegionAllocator region = new RegionAllocator(capacity(), chunkSize());
      inspector = new RegionInspector(region);
      return region;
    }

    @Override
    protected long maxCommittedBytes() {
      return ((RegionAllocator) allocator).maxCommittedBytes();
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
  class OneSmallChunk extends RegionContract {
    @Override
    long capacity() {
      return 64 << 10;
    }

    @Override
    long chunkSize() {
      return 64 << 10;
    }
  }

  @Nested
  class FourChunksOf64K extends RegionContract {
    @Override
    long capacity() {
      return 256 << 10;
    }

    @Override
    long chunkSize() {
      return 64 << 10;
    }
  }

  @Nested
  class ChunksOf128KAndAShorterLastOne extends RegionContract {
    @Override
    long capacity() {
      return (256 << 10) + (80 << 10) + 8;
    }

    @Override
    long chunkSize() {
      return 128 << 10;
    }
  }

  @Nested
  class OneMegabyteChunks extends RegionContract {
    @Override
    long capacity() {
      return 2 << 20;
    }

    @Override
    long chunkSize() {
      return 1 << 20;
    }
  }
}
