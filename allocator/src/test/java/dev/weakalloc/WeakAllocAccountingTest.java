package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeakAllocAccountingTest {
  @Test
  void blockBytes_whenRegionHandsOutTooSmallARemainder_countsIt() {
    // One 64 KiB chunk and its 256 bytes of header room. A 65 520-byte payload takes a 65 536-byte
    // block; then a 224-byte payload needs a 240-byte block, and the 16 bytes left are too few for
    // a free block, so the region hands out all 256.
    try (WeakAlloc alloc = WeakAlloc.over(MemoryAllocator.region(64 << 10, 64 << 10))) {
      WeakRef<byte[]> first = alloc.give(new byte[65_520], Codecs.bytes());
      WeakRef<byte[]> ref = alloc.give(new byte[224], Codecs.bytes());

      assertThat(alloc.stats().usedBytes()).isEqualTo(65_792);
      assertThat(first.blockBytes).isEqualTo(65_536);
      assertThat(ref.blockBytes).isEqualTo(256);
    }
  }

  @Test
  void give_afterFreeOfSameBlockSize_reusesThatBlockAndKeepsTheCounts() {
    try (WeakAlloc alloc = WeakAlloc.withCapacity(1 << 20)) {
      WeakRef<byte[]> neighbour = alloc.give(TestValues.pattern(1000, 1), Codecs.bytes());
      WeakRef<byte[]> old = alloc.give(TestValues.pattern(1000, 2), Codecs.bytes());
      alloc.give(TestValues.pattern(1000, 3), Codecs.bytes());
      WeakAllocStats before = alloc.stats();

      alloc.free(old);
      WeakRef<byte[]> replacement = alloc.give(TestValues.pattern(1000, 4), Codecs.bytes());

      assertThat(replacement.address).isEqualTo(old.address);
      assertThat(replacement.blockBytes).isEqualTo(old.blockBytes);
      assertThat(old.getIfPresent()).isNull();
      assertThat(replacement.getIfPresent()).isEqualTo(TestValues.pattern(1000, 4));
      assertThat(neighbour.getIfPresent()).isEqualTo(TestValues.pattern(1000, 1));
      WeakAllocStats after = alloc.stats();
      assertThat(after.usedBytes()).isEqualTo(before.usedBytes());
      assertThat(after.valueBytes()).isEqualTo(before.valueBytes());
      assertThat(after.liveValues()).isEqualTo(before.liveValues());
    }
  }

  @Test
  void give_afterFreeOfAnotherBlockSize_releasesItToTheRegion() {
    try (WeakAlloc alloc = WeakAlloc.withCapacity(1 << 20)) {
      WeakRef<byte[]> old = alloc.give(new byte[1000], Codecs.bytes());
      alloc.give(new byte[1000], Codecs.bytes());
      long usedWithBoth = alloc.stats().usedBytes();

      alloc.free(old);
      WeakRef<byte[]> smaller = alloc.give(new byte[500], Codecs.bytes());

      assertThat(smaller.blockBytes).isLessThan(old.blockBytes);
      assertThat(alloc.stats().usedBytes()).isEqualTo(usedWithBoth - old.blockBytes + smaller.blockBytes);
    }
  }

  @Test
  void give_evictingAVictimOfTheBlockSizeNeeded_takesItsPlaceAndKeepsTheCounts() {
    try (WeakAlloc alloc = TestValues.smallAlloc()) {
      List<WeakRef<byte[]>> refs = new ArrayList<>();
      for (int i = 0; i < TestValues.PER_REGION; i++) {
        refs.add(alloc.give(TestValues.pattern(TestValues.BLOCK_PAYLOAD, i), Codecs.bytes()));
      }
      WeakAllocStats full = alloc.stats();

      WeakRef<byte[]> newcomer =
          alloc.give(TestValues.pattern(TestValues.BLOCK_PAYLOAD, 99), Codecs.bytes());

      assertThat(refs.get(0).isPresent()).isFalse();
      assertThat(newcomer.address).isEqualTo(refs.get(0).address);
      assertThat(TestValues.isPattern(newcomer.getIfPresent(), 99)).isTrue();
      for (int i = 1; i < TestValues.PER_REGION; i++) {
        assertThat(TestValues.isPattern(refs.get(i).getIfPresent(), i)).as("value %d", i).isTrue();
      }
      WeakAllocStats after = alloc.stats();
      assertThat(after.evictions()).isEqualTo(1);
      assertThat(after.evictedBytes()).isEqualTo(TestValues.BLOCK_PAYLOAD);
      assertThat(after.usedBytes()).isEqualTo(full.usedBytes());
      assertThat(after.liveValues()).isEqualTo(TestValues.PER_REGION);
    }
  }

  @Test
  void aValueThatTookOverABlock_isFoundAsThatBlocksNeighbourWhenAnEvictionGrowsAHole() {
    List<WeakRef<?>> evicted = new ArrayList<>();
    MemoryAllocator region = MemoryAllocator.region(TestValues.REGION, TestValues.REGION);
    try (WeakAlloc alloc = WeakAlloc.builder(region).evictionListener(evicted::add).build()) {
      List<WeakRef<byte[]>> refs = new ArrayList<>();
      for (int i = 0; i < TestValues.PER_REGION; i++) {
        refs.add(alloc.give(TestValues.pattern(TestValues.BLOCK_PAYLOAD, i), Codecs.bytes()));
      }
      alloc.free(refs.get(1));
      WeakRef<byte[]> successor =
          alloc.give(TestValues.pattern(TestValues.BLOCK_PAYLOAD, 50), Codecs.bytes());
      assertThat(successor.address).isEqualTo(refs.get(1).address);

      // Two blocks' worth: the oldest value goes, then its neighbour, the successor, to fit.
      WeakRef<byte[]> large =
          alloc.give(TestValues.pattern(2 * TestValues.BLOCK_PAYLOAD + 16, 60), Codecs.bytes());

      assertThat(evicted).containsExactly(refs.get(0), successor);
      assertThat(large.address).isEqualTo(refs.get(0).address);
      assertThat(TestValues.isPattern(large.getIfPresent(), 60)).isTrue();
      for (int i = 2; i < TestValues.PER_REGION; i++) {
        assertThat(TestValues.isPattern(refs.get(i).getIfPresent(), i)).as("value %d", i).isTrue();
      }
      assertThat(alloc.stats().liveValues()).isEqualTo(TestValues.PER_REGION - 1); // 14 old, the large one
    }
  }
}
