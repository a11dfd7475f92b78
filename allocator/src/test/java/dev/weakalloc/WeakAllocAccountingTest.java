package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeakAllocAccountingTest {
  @Test
  void blockBytes_whenRegionHandsOutTooSmallARemainder_countsIt() {
    // One 64 KiB chunk; a 65 504-byte payload needs a 65 520-byte block, and the 16 bytes left
    // are too few for a free block, so the region hands out all 65 536.
    try (WeakAlloc alloc = WeakAlloc.over(MemoryAllocator.region(64 << 10, 64 << 10))) {
      WeakRef<byte[]> ref = alloc.give(new byte[65_504], Codecs.bytes());

      assertThat(alloc.stats().usedBytes()).isEqualTo(65_536);
      assertThat(ref.blockBytes).isEqualTo(alloc.stats().usedBytes());
    }
  }
}
