package dev.weakalloc;

import static dev.weakalloc.TestValues.BLOCK_PAYLOAD;
import static dev.weakalloc.TestValues.PER_REGION;
import static dev.weakalloc.TestValues.REGION;
import static dev.weakalloc.TestValues.isPattern;
import static dev.weakalloc.TestValues.pattern;
import static dev.weakalloc.TestValues.smallAlloc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pins: a pinned value is never evicted, freed values are released when the last pin closes. */
class WeakAllocPinningTest {
  private static final long BLOCK = 4096;

  private final WeakAlloc alloc = smallAlloc();

  @AfterEach
  void close() {
    alloc.close();
  }

  private WeakRef<byte[]> give(int seed) {
    return alloc.give(pattern(BLOCK_PAYLOAD, seed), Codecs.bytes());
  }

  /** Gives 200 values of mixed sizes, far more than the region holds. */
  private void pressure() {
    for (int i = 0; i < 200; i++) {
      alloc.give(pattern(100 + (i * 997) % 9000, i), Codecs.bytes());
    }
  }

  @Test
  void upgrade_openPin_valueSurvivesHeavyPressure() {
    WeakRef<byte[]> ref = give(7);
    ArcRef<byte[]> pin = ref.upgrade().orElseThrow();

    pressure();

    assertThat(alloc.stats().evictions()).isGreaterThan(100);
    assertThat(ref.isPresent()).isTrue();
    assertThat(isPattern(pin.get(), 7)).isTrue();
    assertThat(isPattern(pin.bytes().toArray(), 7)).isTrue();
    pin.close();
  }

  @Test
  void upgrade_afterPinClosed_valueCanBeEvicted() {
    WeakRef<byte[]> ref = give(7);
    ref.upgrade().orElseThrow().close();

    pressure();

    assertThat(ref.isPresent()).isFalse();
    assertThat(ref.upgrade()).isEmpty();
    assertThat(ref.getIfPresent()).isNull();
  }

  @Test
  void upgrade_twoPinsOneClosed_valueStillPinned() {
    WeakRef<byte[]> ref = give(7);
    ArcRef<byte[]> first = ref.upgrade().orElseThrow();
    ArcRef<byte[]> second = ref.upgrade().orElseThrow();
    first.close();

    pressure();

    assertThat(ref.isPresent()).isTrue();
    assertThat(isPattern(second.get(), 7)).isTrue();
    second.close();
    pressure();
    assertThat(ref.isPresent()).isFalse();
  }

  @Test
  void giveAndUpgrade_underPressure_pinStaysOpenAndReadable() {
    ArcRef<byte[]> pin = alloc.giveAndUpgrade(pattern(5000, 3), Codecs.bytes());
    assertThat(pin.isOpen()).isTrue();
    assertThat(alloc.stats().pinnedBytes()).isEqualTo(5000);

    pressure();

    assertThat(pin.downgrade().isPresent()).isTrue();
    assertThat(isPattern(pin.get(), 3)).isTrue();
    pin.close();
    assertThat(alloc.stats().pinnedBytes()).isZero();
    pressure();
    assertThat(pin.downgrade().isPresent()).isFalse();
  }

  // --- deferred free ---

  @Test
  void free_pinned_upgradeFailsAtOnceButPinStillReads() {
    WeakRef<byte[]> ref = give(1);
    ArcRef<byte[]> pin = ref.upgrade().orElseThrow();
    ByteView view = pin.bytes();

    assertThat(alloc.free(ref)).isTrue();

    assertThat(ref.isPresent()).isFalse();
    assertThat(ref.upgrade()).isEmpty();
    assertThat(ref.getIfPresent()).isNull();
    assertThat(isPattern(pin.get(), 1)).isTrue();
    assertThat(isPattern(view.toArray(), 1)).isTrue();
    assertThat(alloc.free(ref)).as("second free").isFalse();
    pin.close();
  }

  @Test
  void free_pinned_memoryReleasedOnlyWhenLastPinCloses() {
    WeakRef<byte[]> ref = give(1);
    WeakRef<byte[]> other = give(2);
    ArcRef<byte[]> first = ref.upgrade().orElseThrow();
    ArcRef<byte[]> second = ref.upgrade().orElseThrow();

    alloc.free(ref);

    WeakAllocStats freed = alloc.stats();
    assertThat(freed.liveValues()).isEqualTo(1);
    assertThat(freed.allocatedBlocks()).isEqualTo(2);
    assertThat(freed.usedBytes()).isEqualTo(2 * BLOCK);
    assertThat(freed.valueBytes()).isEqualTo(2L * BLOCK_PAYLOAD);
    assertThat(freed.pinnedBytes()).isEqualTo(BLOCK_PAYLOAD);

    first.close();
    assertThat(alloc.stats().usedBytes()).isEqualTo(2 * BLOCK);
    assertThat(isPattern(second.get(), 1)).isTrue();

    second.close();
    WeakAllocStats released = alloc.stats();
    assertThat(released.usedBytes()).isEqualTo(BLOCK);
    assertThat(released.valueBytes()).isEqualTo(BLOCK_PAYLOAD);
    assertThat(released.allocatedBlocks()).isEqualTo(1);
    assertThat(released.liveValues()).isEqualTo(1);
    assertThat(released.pinnedBytes()).isZero();
    assertThat(released.evictions()).isZero();

    second.close(); // double close is harmless
    first.close();
    assertThat(alloc.stats()).isEqualTo(released);
    assertThat(isPattern(other.getIfPresent(), 2)).isTrue();
  }

  @Test
  void free_unpinned_releasesAtOnce() {
    WeakRef<byte[]> ref = give(1);

    assertThat(alloc.free(ref)).isTrue();

    WeakAllocStats stats = alloc.stats();
    assertThat(stats.usedBytes()).isZero();
    assertThat(stats.liveValues()).isZero();
    assertThat(stats.allocatedBlocks()).isZero();
    assertThat(ref.upgrade()).isEmpty();
  }

  @Test
  void free_refOfAnotherAllocator_throwsIllegalArgumentException() {
    try (WeakAlloc other = smallAlloc()) {
      WeakRef<byte[]> foreign = other.give(pattern(10, 1), Codecs.bytes());
      assertThatThrownBy(() -> alloc.free(foreign)).isInstanceOf(IllegalArgumentException.class);
      assertThat(foreign.isPresent()).isTrue();
    }
  }

  @Test
  void clear_somePinned_pinnedReleasedWhenLastPinCloses() {
    List<WeakRef<byte[]>> refs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      refs.add(give(i));
    }
    ArcRef<byte[]> pin = refs.get(2).upgrade().orElseThrow();

    alloc.clear();

    assertThat(refs).noneMatch(WeakRef::isPresent);
    assertThat(refs.get(2).upgrade()).isEmpty();
    WeakAllocStats cleared = alloc.stats();
    assertThat(cleared.liveValues()).isZero();
    assertThat(cleared.allocatedBlocks()).isEqualTo(1);
    assertThat(cleared.usedBytes()).isEqualTo(BLOCK);
    assertThat(cleared.pinnedBytes()).isEqualTo(BLOCK_PAYLOAD);
    assertThat(isPattern(pin.bytes().toArray(), 2)).isTrue();

    pin.close();
    pin.close();
    WeakAllocStats released = alloc.stats();
    assertThat(released.usedBytes()).isZero();
    assertThat(released.allocatedBlocks()).isZero();
    assertThat(released.valueBytes()).isZero();
    assertThat(released.evictions()).isZero();
  }

  @Test
  void give_afterPinnedValueFreed_canReuseItsMemoryOnlyAfterClose() {
    List<WeakRef<byte[]>> refs = new ArrayList<>();
    List<ArcRef<byte[]>> pins = new ArrayList<>();
    for (int i = 0; i < PER_REGION; i++) {
      ArcRef<byte[]> pin = alloc.giveAndUpgrade(pattern(BLOCK_PAYLOAD, i), Codecs.bytes());
      pins.add(pin);
      refs.add(pin.downgrade());
    }
    alloc.free(refs.get(4));
    assertThatThrownBy(() -> give(99)).isInstanceOf(RegionPinnedException.class);

    pins.get(4).close();

    WeakRef<byte[]> fresh = give(99);
    assertThat(isPattern(fresh.getIfPresent(), 99)).isTrue();
    assertThat(alloc.stats().evictions()).isZero();
    pins.forEach(ArcRef::close);
  }

  // --- close ---

  @Test
  void lastUnpinAfterClose_freesTheBlockOfTheSystemAllocator() {
    MemoryAllocator system = MemoryAllocator.system();
    WeakAlloc overSystem = WeakAlloc.over(system);
    ArcRef<byte[]> pin = overSystem.giveAndUpgrade(pattern(1 << 20, 1), Codecs.bytes());
    overSystem.give(pattern(100, 2), Codecs.bytes());

    overSystem.close();

    assertThat(system.allocatedBytes()).as("the pinned value outlives the close")
        .isEqualTo(system.blockSize(1 << 20));
    assertThatThrownBy(pin::get).isInstanceOf(IllegalStateException.class);
    pin.close();
    assertThat(system.allocatedBytes()).as("malloc'd bytes after the last pin closed").isZero();
  }

  @Test
  void lastUnpinAfterClose_ofARegion_doesNothingToTheReleasedMemory() {
    ArcRef<byte[]> pin = alloc.giveAndUpgrade(pattern(100, 1), Codecs.bytes());
    alloc.close();

    pin.close(); // the region's chunks are gone: the release must not touch them

    assertThat(pin.isOpen()).isFalse();
  }

  // --- everything pinned ---

  @Test
  void give_allPinned_throwsRegionPinnedNamingSizesAndChangesNothing() {
    List<ArcRef<byte[]>> pins = new ArrayList<>();
    for (int i = 0; i < PER_REGION; i++) {
      pins.add(alloc.giveAndUpgrade(pattern(BLOCK_PAYLOAD, i), Codecs.bytes()));
    }
    WeakAllocStats before = alloc.stats();
    assertThat(before.pinnedBytes()).isEqualTo((long) PER_REGION * BLOCK_PAYLOAD);

    assertThatThrownBy(() -> give(99))
        .isInstanceOfSatisfying(
            RegionPinnedException.class,
            e -> {
              assertThat(e.requestedBytes()).isEqualTo(BLOCK_PAYLOAD);
              assertThat(e.capacityBytes()).isEqualTo(REGION);
              assertThat(e.pinnedBytes()).isEqualTo((long) PER_REGION * BLOCK_PAYLOAD);
              assertThat(e.getMessage())
                  .contains(BLOCK_PAYLOAD + " bytes")
                  .contains("capacity " + REGION)
                  .contains(String.valueOf((long) PER_REGION * BLOCK_PAYLOAD));
            });

    WeakAllocStats after = alloc.stats();
    assertThat(after.failedAllocations()).isEqualTo(before.failedAllocations() + 1);
    assertThat(after.failedSizeHistogram().get(11)).isEqualTo(1); // 4080 in [2^11, 2^12)
    assertThat(withoutFailures(after)).isEqualTo(withoutFailures(before));
    for (int i = 0; i < PER_REGION; i++) {
      assertThat(isPattern(pins.get(i).get(), i)).isTrue();
    }

    pins.get(9).close();
    WeakRef<byte[]> fresh = give(99);
    assertThat(isPattern(fresh.getIfPresent(), 99)).isTrue();
    assertThat(pins.get(9).downgrade().isPresent()).isFalse();
    assertThat(alloc.stats().evictions()).isEqualTo(1);
    pins.forEach(ArcRef::close);
  }

  @Test
  void giveAndUpgrade_allPinned_throwsRegionPinned() {
    List<ArcRef<byte[]>> pins = new ArrayList<>();
    for (int i = 0; i < PER_REGION; i++) {
      pins.add(alloc.giveAndUpgrade(pattern(BLOCK_PAYLOAD, i), Codecs.bytes()));
    }

    assertThatThrownBy(() -> alloc.giveAndUpgrade(pattern(1000, 1), Codecs.bytes()))
        .isInstanceOf(RegionPinnedException.class);

    assertThat(alloc.stats().liveValues()).isEqualTo(PER_REGION);
    pins.forEach(ArcRef::close);
  }

  /** {@return the stats with the failure counters zeroed} */
  static WeakAllocStats withoutFailures(WeakAllocStats s) {
    return new WeakAllocStats(
        s.capacityBytes(),
        s.committedBytes(),
        s.usedBytes(),
        s.valueBytes(),
        s.pinnedBytes(),
        s.liveValues(),
        s.allocatedBlocks(),
        s.evictions(),
        s.evictedBytes(),
        s.allocatedBytesTotal(),
        0,
        new ArrayList<>(java.util.Collections.nCopies(s.failedSizeHistogram().size(), 0L)),
        s.leakedPins(),
        s.admissionsRefused(),
        s.overheadBytes());
  }
}
