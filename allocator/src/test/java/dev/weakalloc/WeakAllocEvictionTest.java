package dev.weakalloc;

import static dev.weakalloc.TestValues.BLOCK_PAYLOAD;
import static dev.weakalloc.TestValues.PER_REGION;
import static dev.weakalloc.TestValues.isPattern;
import static dev.weakalloc.TestValues.pattern;
import static dev.weakalloc.TestValues.smallAlloc;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Eviction order: least recently used unpinned value first. Every value takes one 4 KiB block of a
 * 64 KiB region, so each new value evicts exactly one old one and the order is exact.
 */
class WeakAllocEvictionTest {
  private final WeakAlloc alloc = smallAlloc();
  private final List<WeakRef<byte[]>> refs = new ArrayList<>();

  @AfterEach
  void close() {
    alloc.close();
  }

  private WeakRef<byte[]> give(int seed) {
    WeakRef<byte[]> ref = alloc.give(pattern(BLOCK_PAYLOAD, seed), Codecs.bytes());
    refs.add(ref);
    return ref;
  }

  private void fill() {
    for (int i = refs.size(); i < PER_REGION; i++) {
      give(i);
    }
    assertThat(alloc.stats().usedBytes()).isEqualTo(TestValues.REGION);
    assertThat(refs).allMatch(WeakRef::isPresent);
  }

  /** {@return the seeds of the values given so far that are no longer present} */
  private List<Integer> evictedSeeds() {
    List<Integer> seeds = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      if (!refs.get(i).isPresent()) {
        seeds.add(i);
      }
    }
    return seeds;
  }

  @Test
  void give_full_evictsLeastRecentlyGivenFirst() {
    fill();

    give(16);
    assertThat(evictedSeeds()).containsExactly(0);
    give(17);
    give(18);
    assertThat(evictedSeeds()).containsExactly(0, 1, 2);
    assertThat(alloc.stats().evictions()).isEqualTo(3);
    for (int i = 3; i < refs.size(); i++) {
      assertThat(isPattern(refs.get(i).getIfPresent(), i)).as("value %d", i).isTrue();
    }
  }

  @Test
  void give_afterUpgradeOfOldest_evictsNextOldest() {
    fill();
    try (ArcRef<byte[]> pin = refs.get(0).upgrade().orElseThrow()) {
      assertThat(isPattern(pin.get(), 0)).isTrue();
    }

    give(16);

    assertThat(evictedSeeds()).containsExactly(1);
    assertThat(refs.get(0).isPresent()).isTrue();
  }

  @Test
  void give_afterGetIfPresentOfOldest_evictsNextOldest() {
    fill();
    assertThat(isPattern(refs.get(0).getIfPresent(), 0)).isTrue();
    assertThat(isPattern(refs.get(1).getIfPresent(), 1)).isTrue();

    give(16);
    assertThat(evictedSeeds()).containsExactly(2);
    give(17);
    give(18);
    assertThat(evictedSeeds()).containsExactly(2, 3, 4);
  }

  @Test
  void give_oneAtATimeAfterUses_evictsExactlyInOrderOfLastUse() {
    fill();
    refs.get(5).getIfPresent();
    refs.get(0).upgrade().orElseThrow().close();
    refs.get(3).getIfPresent();
    List<Integer> expectedOrder = new ArrayList<>(List.of(1, 2, 4));
    for (int i = 6; i < PER_REGION; i++) {
      expectedOrder.add(i);
    }
    expectedOrder.addAll(List.of(5, 0, 3));

    List<Integer> actualOrder = new ArrayList<>();
    for (int i = 0; i < PER_REGION; i++) {
      List<Integer> before = evictedSeeds();
      give(PER_REGION + i);
      List<Integer> after = evictedSeeds();
      after.removeAll(before);
      assertThat(after).as("evicted by give %d", i).hasSize(1);
      actualOrder.add(after.getFirst());
    }
    assertThat(actualOrder).isEqualTo(expectedOrder);
  }

  @Test
  void give_oldestPinned_skipsItAndEvictsNextOldest() {
    // Pinned from birth: the oldest value, and never "used" after that.
    ArcRef<byte[]> pinned = alloc.giveAndUpgrade(pattern(BLOCK_PAYLOAD, 0), Codecs.bytes());
    refs.add(pinned.downgrade());
    fill();

    give(16);
    give(17);

    assertThat(evictedSeeds()).containsExactly(1, 2);
    assertThat(pinned.isOpen()).isTrue();
    assertThat(isPattern(pinned.get(), 0)).isTrue();
    pinned.close();
  }

  @Test
  void give_manyPinned_evictsOnlyUnpinnedOldestFirst() {
    fill();
    List<ArcRef<byte[]>> pins = new ArrayList<>();
    for (int i = 0; i < PER_REGION; i += 2) {
      pins.add(refs.get(i).upgrade().orElseThrow()); // even seeds pinned
    }

    give(16);
    give(17);
    give(18);

    assertThat(evictedSeeds()).containsExactly(1, 3, 5);
    for (ArcRef<byte[]> pin : pins) {
      assertThat(pin.downgrade().isPresent()).isTrue();
      pin.close();
    }
  }

  /**
   * The common give of a full region, whose oldest value takes exactly the bytes needed, hands
   * that value's block over without making a list of victims (an {@code ArrayList} and its array,
   * 80 bytes a give before). Counted with the JDK's per-thread allocation counter, after a
   * warm-up; the bound leaves room for the new handle and the encoding, not for the list.
   */
  @Test
  void give_fullOfItsSize_allocatesNoListOfVictims() throws ReflectiveOperationException {
    fill();
    byte[] value = pattern(BLOCK_PAYLOAD, 1);
    Codec<byte[]> codec = Codecs.bytes();
    for (int i = 0; i < 50_000; i++) {
      alloc.give(value, codec);
    }
    int gives = 20_000;
    long before = allocatedBytes();
    for (int i = 0; i < gives; i++) {
      alloc.give(value, codec);
    }
    long perGive = (allocatedBytes() - before) / gives;
    assertThat(alloc.stats().evictions()).isGreaterThanOrEqualTo(70_000);
    assertThat(perGive).as("bytes allocated per evicting give").isLessThan(PER_GIVE_WITHOUT_LIST);
  }

  /** Between what such a give allocates, measured: 160 bytes without the list, 240 with it. */
  private static final long PER_GIVE_WITHOUT_LIST = 200;

  /**
   * {@return the bytes this thread allocated so far} Through reflection: the allocator's module
   * reads neither {@code java.management} nor {@code jdk.management}, which are resolved at test
   * time all the same.
   */
  private static long allocatedBytes() throws ReflectiveOperationException {
    Object threads = Class.forName("java.lang.management.ManagementFactory")
        .getMethod("getThreadMXBean").invoke(null);
    return (long) Class.forName("com.sun.management.ThreadMXBean")
        .getMethod("getCurrentThreadAllocatedBytes").invoke(threads);
  }
}
