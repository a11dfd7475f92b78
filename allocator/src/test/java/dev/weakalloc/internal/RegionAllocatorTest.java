package dev.weakalloc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.MemoryAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** RegionAllocator specifics: lazy commit, capacity rounding, constructor arguments. */
class RegionAllocatorTest {
  private static final long K64 = 64 << 10;
  /** The header room of a 64 KiB chunk: 256 bytes. */
  private static final long ROOM = RegionAllocator.headerRoom(K64);

  @Test
  void committedBytes_growsChunkByChunkFromZero() {
    try (RegionAllocator region = new RegionAllocator(4 * K64, K64)) {
      RegionInspector inspector = new RegionInspector(region);
      assertThat(region.committedBytes()).as("at creation").isZero();

      List<Long> committed = new ArrayList<>();
      long payload = K64 / 4 - 16; // four blocks per chunk
      for (int i = 0; i < 16; i++) {
        assertThat(region.allocate(payload)).isNotEqualTo(MemoryAllocator.NO_ROOM);
        committed.add(region.committedBytes());
        inspector.checkInvariants();
      }

      for (int i = 0; i < 16; i++) {
        assertThat(committed.get(i)).as("after block %d", i).isEqualTo((i / 4 + 1) * (K64 + ROOM));
      }
      assertThat(region.allocate(ROOM)).isEqualTo(MemoryAllocator.NO_ROOM);
      assertThat(region.committedBytes()).isEqualTo(4 * (K64 + ROOM));
    }
  }

  @Test
  void committedBytes_afterFree_staysCommittedAndIsReused() {
    try (RegionAllocator region = new RegionAllocator(4 * K64, K64)) {
      long address = region.allocate(1000);
      region.free(address);
      region.allocate(2000);

      assertThat(region.committedBytes()).isEqualTo(K64 + ROOM);
    }
  }

  @ParameterizedTest(name = "capacity {0}, chunk {1} -> {2}")
  @CsvSource({
    "65536, 65536, 65536",
    "262144, 65536, 262144",
    // a rest under 64 KiB is dropped
    "300007, 131072, 262144",
    "65544, 65536, 65536",
    // a rest of at least 64 KiB becomes a shorter last chunk, rounded down to 16 bytes
    "200000, 131072, 200000",
    "201079, 131072, 201072",
    "50331648, 33554432, 50331648",
    // a capacity under the chunk size is one short chunk
    "100000, 16777216, 100000",
    "16777216, 16777216, 16777216",
    "33554432, 33554432, 33554432",
    "33554432, 1048576, 33554432",
  })
  void capacity_roundsToWholeChunksAndALastChunkOfAtLeast64K(long capacity, long chunk, long expected) {
    try (RegionAllocator region = new RegionAllocator(capacity, chunk)) {
      assertThat(region.capacity()).isEqualTo(expected);
      assertThat(region.capacity()).isLessThanOrEqualTo(capacity);
      assertThat(region.chunkSize()).isEqualTo(chunk);
      long firstChunk = Math.min(chunk, expected);
      long headerRoom = (firstChunk / 256 + 15) & -16;
      assertThat(region.maxAllocation()).isEqualTo(firstChunk);
      assertThat(region.allocate(region.maxAllocation())).isNotEqualTo(MemoryAllocator.NO_ROOM);
      assertThat(region.committedBytes()).isEqualTo(firstChunk + headerRoom);
    }
  }

  @Test
  void allocate_shorterLastChunk_fillsEveryByteOfTheCapacity() {
    try (RegionAllocator region = new RegionAllocator(2 * K64 + K64 + 4096, 2 * K64)) {
      RegionInspector inspector = new RegionInspector(region);
      assertThat(region.capacity()).isEqualTo(3 * K64 + 4096);
      int blocks = 0;
      while (region.allocate(4096 - 16) != MemoryAllocator.NO_ROOM) {
        blocks++;
      }

      assertThat(blocks).isEqualTo(49);
      assertThat(region.allocatedBytes()).isEqualTo(region.capacity());
      assertThat(region.committedBytes()).isEqualTo(region.maxCommittedBytes());
      inspector.checkInvariants();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, 1000, 65535, 65537, 3 * 65536, 1L << 31, 1L << 40})
  void constructor_badChunkSize_throwsNamingTheValue(long chunkSize) {
    assertThatThrownBy(() -> new RegionAllocator(1L << 32, chunkSize))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunkSize")
        .hasMessageContaining(String.valueOf(chunkSize));
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 0, 65535})
  void constructor_capacityUnder64K_throwsNamingTheValue(long capacity) {
    assertThatThrownBy(() -> new RegionAllocator(capacity, K64))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity")
        .hasMessageContaining(String.valueOf(capacity));
  }

  @Test
  void region_factory_usesDefaultChunkOf32MiB() {
    try (MemoryAllocator region = MemoryAllocator.region(64L << 20)) {
      assertThat(region).isInstanceOf(RegionAllocator.class);
      assertThat(((RegionAllocator) region).chunkSize()).isEqualTo(RegionAllocator.DEFAULT_CHUNK_SIZE);
      assertThat(region.maxAllocation()).isEqualTo(32L << 20);
      assertThat(region.committedBytes()).isZero();
    }
  }

  /**
   * A default chunk asks {@code malloc} for more than 32 MiB, glibc's largest mmap threshold on
   * 64-bit: such a request is always mapped on its own and unmapped when freed.
   */
  @Test
  void defaultChunk_withItsHeaderRoom_isOverGlibcsLargestMmapThreshold() {
    try (RegionAllocator region = new RegionAllocator(64L << 20, RegionAllocator.DEFAULT_CHUNK_SIZE)) {
      region.allocate(16);

      assertThat(region.committedBytes()).isGreaterThan(32L << 20);
    }
  }

  @Test
  void close_releasesTheChunks_andReportsNothingCommittedOrAllocated() {
    RegionAllocator region = new RegionAllocator(4 * K64, K64);
    region.allocate(1000);
    assertThat(region.committedBytes()).isPositive();

    region.close();

    assertThat(region.committedBytes()).isZero();
    assertThat(region.allocatedBytes()).isZero();
  }

  @Test
  void allocate_negativeOrOverChunk_returnsNoRoomWithoutCommitting() {
    try (RegionAllocator region = new RegionAllocator(4 * K64, K64)) {
      assertThat(region.allocate(-1)).isEqualTo(MemoryAllocator.NO_ROOM);
      assertThat(region.allocate(K64 + 1)).isEqualTo(MemoryAllocator.NO_ROOM);
      assertThat(region.committedBytes()).isZero();
    }
  }

  @Test
  void allocate_sizeOfAFreedHole_reusesTheHoleBeforeCommittingMore() {
    try (RegionAllocator region = new RegionAllocator(4 * K64, K64)) {
      long[] blocks = new long[32]; // fills the first chunk but for 1536 bytes
      for (int i = 0; i < blocks.length; i++) {
        blocks[i] = region.allocate(2000 - 16); // 2000 bytes: not at a size-class boundary
      }
      long committed = region.committedBytes();
      region.free(blocks[10]);

      assertThat(region.allocate(2000 - 16)).isEqualTo(blocks[10]);
      assertThat(region.committedBytes()).isEqualTo(committed);
      new RegionInspector(region).checkInvariants();
    }
  }

  @Test
  void allocateIn_freedSpan_reusesIt() {
    try (RegionAllocator region = new RegionAllocator(K64, K64)) {
      RegionInspector inspector = new RegionInspector(region);
      long a = region.allocate(100);
      long b = region.allocate(5000);
      long c = region.allocate(100);
      region.setOwner(a, 1);
      region.setOwner(c, 3);
      region.free(b);
      long span = region.lastFreedSpan();

      assertThat(region.blockBefore(span)).isEqualTo(a);
      assertThat(region.blockAfter(span)).isEqualTo(c);
      assertThat(region.owner(region.blockBefore(span))).isEqualTo(1);
      assertThat(region.owner(region.blockAfter(span))).isEqualTo(3);
      assertThat(region.fits(span, 5000)).isTrue();
      assertThat(region.fits(span, 5008)).as("5000 rounds up to a 5024-byte block").isTrue();
      assertThat(region.fits(span, 5009)).isFalse();
      assertThat(region.allocateIn(span, 4000)).isEqualTo(b);
      inspector.checkInvariants();
    }
  }
}
