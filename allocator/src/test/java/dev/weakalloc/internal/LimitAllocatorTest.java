package dev.weakalloc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.MemoryAllocator;
import org.junit.jupiter.api.Test;

/** LimitAllocator specifics: the limit holds whatever block the inner allocator hands out. */
class LimitAllocatorTest {

  @Test
  void constructor_limitNotPositive_throwsNamingTheValue() {
    assertThatThrownBy(() -> new LimitAllocator(new RegionAllocator(64 << 10, 64 << 10), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> new LimitAllocator(new RegionAllocator(64 << 10, 64 << 10), -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-5");
  }

  @Test
  void capacityAndMaxAllocation_limitBelowInner_followTheLimit() {
    try (LimitAllocator limited = new LimitAllocator(new RegionAllocator(256 << 10, 64 << 10), 10_000)) {
      assertThat(limited.capacity()).isEqualTo(10_000);
      assertThat(limited.blockSize(limited.maxAllocation())).isLessThanOrEqualTo(10_000);
      assertThat(limited.blockSize(limited.maxAllocation() + 1)).isGreaterThan(10_000);
    }
  }

  @Test
  void capacityAndMaxAllocation_limitAboveInner_followTheInner() {
    try (LimitAllocator limited = new LimitAllocator(new RegionAllocator(64 << 10, 64 << 10), 1 << 30)) {
      assertThat(limited.capacity()).isEqualTo(64 << 10);
      assertThat(limited.maxAllocation()).isEqualTo(64 << 10);
    }
  }

  @Test
  void allocate_innerHandsOutALargerBlockThanBlockSize_neverExceedsLimit() {
    // The region gives the whole rest of a free block when splitting would leave under 32 bytes:
    // a 32-byte request in the last 48 bytes of a chunk takes all 48.
    RegionAllocator region = new RegionAllocator(64 << 10, 64 << 10);
    long limit = (64 << 10) - 16;
    try (LimitAllocator limited = new LimitAllocator(region, limit)) {
      assertThat(limited.allocate((64 << 10) - 48 - 16)).isNotEqualTo(MemoryAllocator.NO_ROOM);
      assertThat(limited.allocatedBytes()).isEqualTo((64 << 10) - 48);

      long address = limited.allocate(16); // blockSize 32 fits the limit on paper

      assertThat(limited.allocatedBytes()).isLessThanOrEqualTo(limit);
      if (address != MemoryAllocator.NO_ROOM) {
        limited.free(address);
      }
      new RegionInspector(region).checkInvariants();
    }
  }

  @Test
  void close_closesTheInnerAllocator() {
    RegionAllocator region = new RegionAllocator(64 << 10, 64 << 10);
    long address = region.allocate(100);
    var segment = region.segment(address, 100);
    LimitAllocator limited = new LimitAllocator(region, 1000);

    limited.close();

    assertThatThrownBy(() -> segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0))
        .isInstanceOf(IllegalStateException.class);
  }
}
