package dev.weakalloc;

import static dev.weakalloc.TestValues.isPattern;
import static dev.weakalloc.TestValues.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plan, then evict: a give that needs room evicts one run of adjacent blocks that holds its value,
 * and nothing if no such run can be made. The layout is the one that used to empty the cache: a 32
 * MiB region of two 16 MiB chunks full of 1 KiB values, one value pinned in the middle of each
 * chunk, so that no run longer than about half a chunk exists.
 */
class EvictionPlanTest {
  private static final long CHUNK = 16 << 20;
  private static final int VALUE = 1024;

  private final ConcurrentLinkedQueue<WeakRef<?>> evicted = new ConcurrentLinkedQueue<>();
  private final List<WeakRef<byte[]>> refs = new ArrayList<>();
  private final List<ArcRef<byte[]>> pins = new ArrayList<>();
  private WeakAlloc alloc;

  @BeforeEach
  void fillAndPinTheMiddleOfEachChunk() {
    alloc = WeakAlloc.builder(MemoryAllocator.region(2 * CHUNK, CHUNK)).evictionListener(evicted::add).build();
    while (alloc.stats().committedBytes() < 2 * CHUNK || alloc.stats().evictions() == 0) {
      refs.add(alloc.give(pattern(VALUE, refs.size()), Codecs.bytes()));
    }
    alloc.free(refs.getLast()); // the last give evicted the oldest: back to a full, unevicted region
    refs.removeIf(ref -> !ref.isPresent());
    evicted.clear();
    for (int chunk = 0; chunk < 2; chunk++) {
      pins.add(valueNear(chunk, CHUNK / 2).upgrade().orElseThrow());
    }
  }

  @AfterEach
  void close() {
    pins.forEach(ArcRef::close);
    alloc.close();
  }

  private WeakRef<byte[]> valueNear(int chunk, long offset) {
    WeakRef<byte[]> nearest = null;
    for (WeakRef<byte[]> ref : refs) {
      if (ref.address >>> 32 == chunk
          && (nearest == null || Math.abs((int) ref.address - offset) < Math.abs((int) nearest.address - offset))) {
        nearest = ref;
      }
    }
    return nearest;
  }

  @Test
  void give_largerThanAnyRunBetweenPins_failsEvictingNothing() {
    WeakAllocStats before = alloc.stats();

    assertThatThrownBy(() -> alloc.give(new byte[9 << 20], Codecs.bytes()))
        .isInstanceOfSatisfying(RegionPinnedException.class, e -> {
          assertThat(e.requestedBytes()).isEqualTo(9 << 20);
          assertThat(e.capacityBytes()).isEqualTo(2 * CHUNK);
          assertThat(e.pinnedBytes()).isEqualTo(2L * VALUE);
          assertThat(e.largestRunBytes()) // the larger half of a chunk with its header room
              .isBetween(CHUNK / 2, CHUNK / 2 + (CHUNK >> 8) + 2 * (VALUE + 16));
          assertThat(e.getMessage())
              .contains("value of " + (9 << 20) + " bytes")
              .contains("capacity " + 2 * CHUNK)
              .contains((2 * VALUE) + " pinned by open ArcRefs")
              .contains("at most " + e.largestRunBytes() + " bytes")
              .contains("nothing was evicted");
        });

    assertThat(evicted).isEmpty();
    assertThat(refs).allMatch(WeakRef::isPresent);
    WeakAllocStats after = alloc.stats();
    assertThat(after.evictions()).isEqualTo(before.evictions());
    assertThat(after.liveValues()).isEqualTo(before.liveValues()).isEqualTo(refs.size());
    assertThat(after.usedBytes()).isEqualTo(before.usedBytes());
    assertThat(after.failedAllocations()).isEqualTo(before.failedAllocations() + 1);
    for (int i = 0; i < refs.size(); i += 997) {
      assertThat(isPattern(refs.get(i).getIfPresent(), i + 1)).isTrue(); // seed 0 was evicted
    }
  }

  @Test
  void give_thatFitsBesideThePins_evictsOneRunOfAboutItsOwnSize() {
    int size = 7 << 20;
    long evictionsBefore = alloc.stats().evictions();

    WeakRef<byte[]> big = alloc.give(pattern(size, -1), Codecs.bytes());

    long evictedBlocks = evicted.stream().mapToLong(ref -> ref.blockBytes).sum();
    long block = VALUE + 16;
    assertThat(evictedBlocks).as("the request (less a hole or two) plus at most the blocks at the run's two ends")
        .isBetween(size + 16 - 4 * block, size + 16 + 2 * block);
    assertThat(alloc.stats().evictions() - evictionsBefore).isEqualTo(evicted.size());
    assertThat(evicted).allMatch(ref -> ref.address >>> 32 == big.address >>> 32)
        .noneMatch(ref -> ref == pins.get(0).downgrade() || ref == pins.get(1).downgrade());
    long from = evicted.stream().mapToLong(ref -> ref.address).min().orElseThrow();
    long to = evicted.stream().mapToLong(ref -> ref.address + ref.blockBytes).max().orElseThrow();
    assertThat(to - from).as("one run").isEqualTo(evicted.stream().mapToLong(ref -> ref.blockBytes).sum());
    assertThat(big.address).as("in the run, or the free block just before it")
        .isBetween(from - 2 * block, to - size);
    assertThat(isPattern(big.getIfPresent(), -1)).isTrue();
    assertThat(refs.getFirst().isPresent()).as("the least recently used value is in the run").isFalse();
  }

  @Test
  void give_whenOnlyReadsInProgressStandInTheWay_waitsForThemInsteadOfFailing() throws Exception {
    pins.forEach(ArcRef::close);
    pins.clear();
    WeakRef<byte[]> middle = valueNear(0, CHUNK / 2);
    assertThat(middle.tryPin()).isTrue(); // what a read in progress holds
    WeakRef<byte[]> other = valueNear(1, CHUNK / 2);
    assertThat(other.tryPin()).isTrue();
    Thread reader = Thread.ofPlatform().start(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      middle.unpin();
      other.unpin();
    });

    WeakRef<byte[]> big = alloc.give(pattern(9 << 20, -1), Codecs.bytes());

    reader.join();
    assertThat(isPattern(big.getIfPresent(), -1)).isTrue();
    assertThat(alloc.stats().failedAllocations()).isZero();
  }

  @Test
  void give_whenReadsInProgressOutlastThePatience_failsEvictingNothing() {
    pins.forEach(ArcRef::close);
    pins.clear();
    WeakRef<byte[]> middle = valueNear(0, CHUNK / 2);
    WeakRef<byte[]> other = valueNear(1, CHUNK / 2);
    assertThat(middle.tryPin() && other.tryPin()).isTrue();
    try {
      assertThatThrownBy(() -> alloc.give(new byte[9 << 20], Codecs.bytes()))
          .isInstanceOf(RegionPinnedException.class)
          .hasMessageContaining("0 pinned by open ArcRefs and " + 2 * VALUE + " by reads or writes in progress");
      assertThat(evicted).isEmpty();
      assertThat(refs).allMatch(WeakRef::isPresent);
    } finally {
      middle.unpin();
      other.unpin();
    }
  }

  @Test
  void largeValuesOfAPowerOfTwo_packFourToAChunk_andUseTheWholeRegion() {
    try (WeakAlloc region = WeakAlloc.over(MemoryAllocator.region(64L << 20, CHUNK))) {
      List<WeakRef<byte[]>> large = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        large.add(region.give(new byte[4 << 20], Codecs.bytes()));
      }
      WeakAllocStats full = region.stats();
      assertThat(full.evictions()).as("sixteen 4 MiB values fill 64 MiB without an eviction").isZero();
      assertThat(full.valueBytes()).isEqualTo(full.capacityBytes());

      region.give(new byte[4 << 20], Codecs.bytes());

      assertThat(region.stats().evictions()).as("the seventeenth evicts exactly one").isEqualTo(1);
      assertThat(large.getFirst().isPresent()).isFalse();
    }
  }
}
