package dev.weakalloc;

import static dev.weakalloc.TestValues.BLOCK_PAYLOAD;
import static dev.weakalloc.TestValues.PER_REGION;
import static dev.weakalloc.TestValues.REGION;
import static dev.weakalloc.TestValues.isPattern;
import static dev.weakalloc.TestValues.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Admission#TINY_LFU} in a {@link WeakAlloc}: a give that must evict stores its value only
 * if its hash was seen more often than the planned victims'; one that need not evict is always
 * stored. Every value takes one 4 KiB block of a 64 KiB region, so a give into a full region
 * plans exactly one victim, the least recently used.
 */
class WeakAllocAdmissionTest {
  private final List<WeakRef<?>> told = new ArrayList<>();

  private WeakAlloc alloc(Admission admission) {
    return WeakAlloc.builder(MemoryAllocator.region(REGION, REGION))
        .evictionListener(told::add)
        .admission(admission)
        .build();
  }

  /** Fills the region with values of hashes 0..15, each given then read {@code reads} times. */
  private static List<WeakRef<byte[]>> fill(WeakAlloc alloc, int reads) {
    List<WeakRef<byte[]>> refs = new ArrayList<>();
    for (int i = 0; i < PER_REGION; i++) {
      refs.add(alloc.give(pattern(BLOCK_PAYLOAD, i), Codecs.bytes(), "v" + i, i));
    }
    for (int r = 0; r < reads; r++) {
      for (WeakRef<byte[]> ref : refs) {
        assertThat(ref.getIfPresent()).isNotNull();
      }
    }
    return refs;
  }

  @Test
  void give_coldNewcomerIntoFullRegion_isRefusedAndEvictsNothing() {
    try (WeakAlloc alloc = alloc(Admission.TINY_LFU)) {
      List<WeakRef<byte[]>> refs = fill(alloc, 3);
      WeakAllocStats before = alloc.stats();

      WeakRef<byte[]> newcomer = alloc.give(pattern(BLOCK_PAYLOAD, 99), Codecs.bytes(), "new", 99);

      assertThat(newcomer.upgrade()).isEmpty();
      assertThat(newcomer.getIfPresent()).isNull();
      assertThat(newcomer.isPresent()).isFalse();
      assertThat(newcomer.tag()).isEqualTo("new");
      assertThat(alloc.free(newcomer)).isFalse();
      assertThat(refs).allMatch(WeakRef::isPresent);
      assertThat(told).containsExactly(newcomer); // as of a value evicted at once
      WeakAllocStats after = alloc.stats();
      assertThat(after.admissionsRefused()).isEqualTo(1);
      assertThat(after.evictions()).isZero();
      assertThat(after.liveValues()).isEqualTo(PER_REGION);
      assertThat(after.usedBytes()).isEqualTo(before.usedBytes());
      assertThat(after.allocatedBlocks()).isEqualTo(PER_REGION);
      for (int i = 0; i < PER_REGION; i++) {
        assertThat(isPattern(refs.get(i).getIfPresent(), i)).isTrue();
      }
    }
  }

  @Test
  void give_newcomerSeenMoreOftenThanTheVictim_isAdmittedAndEvictsTheOldest() {
    try (WeakAlloc alloc = alloc(Admission.TINY_LFU)) {
      List<WeakRef<byte[]>> refs = fill(alloc, 0); // each value seen once, by its give
      for (int i = 1; i < PER_REGION; i++) {
        refs.get(i).getIfPresent(); // value 0 becomes the least recently used
      }

      // Value 0 was seen once (its give). The first give of 99 is refused (1 is not more than 1),
      // but counted and remembered: the second is admitted (2 > 1, and it was refused recently).
      WeakRef<byte[]> first = alloc.give(pattern(BLOCK_PAYLOAD, 99), Codecs.bytes(), null, 99);
      WeakRef<byte[]> second = alloc.give(pattern(BLOCK_PAYLOAD, 99), Codecs.bytes(), null, 99);

      assertThat(first.isPresent()).isFalse();
      assertThat(isPattern(second.getIfPresent(), 99)).isTrue();
      assertThat(refs.get(0).isPresent()).isFalse(); // LRU among admitted values
      assertThat(refs.subList(1, PER_REGION)).allMatch(WeakRef::isPresent);
      assertThat(alloc.stats().evictions()).isEqualTo(1);
      assertThat(alloc.stats().admissionsRefused()).isEqualTo(1);
    }
  }

  @Test
  void give_withRoom_isAlwaysAdmittedAndCountsOnce() {
    try (WeakAlloc alloc = alloc(Admission.TINY_LFU)) {
      // Three gives of hash 77 with room (freed in between), none refused however cold.
      for (int i = 0; i < 3; i++) {
        WeakRef<byte[]> ref = alloc.give(pattern(BLOCK_PAYLOAD, 77), Codecs.bytes(), null, 77);
        assertThat(ref.isPresent()).isTrue();
        alloc.free(ref);
      }
      List<WeakRef<byte[]>> refs = fill(alloc, 2); // each value seen 3 times: give and 2 reads
      assertThat(alloc.stats().admissionsRefused()).isZero();

      // 77 was seen 3 times, this give makes 4 > the oldest value's 3 at most: admitted. Had the
      // gives with room not been counted, it would be refused (1).
      WeakRef<byte[]> warm = alloc.give(pattern(BLOCK_PAYLOAD, 77), Codecs.bytes(), null, 77);
      assertThat(warm.isPresent()).isTrue();
      assertThat(refs).filteredOn(ref -> !ref.isPresent()).hasSize(1);
      WeakRef<byte[]> cold = alloc.give(pattern(BLOCK_PAYLOAD, 78), Codecs.bytes(), null, 78);
      assertThat(cold.isPresent()).isFalse();
    }
  }

  @Test
  void give_refusedMany_leaksNoBlock() {
    try (WeakAlloc alloc = alloc(Admission.TINY_LFU)) {
      fill(alloc, 5);
      long used = alloc.stats().usedBytes();
      for (int i = 0; i < 200; i++) { // fewer than the sketch's sample: no halving meanwhile
        WeakRef<byte[]> ref = alloc.give(pattern(BLOCK_PAYLOAD, i), Codecs.bytes(), null, 1000 + i);
        assertThat(ref.upgrade()).isEmpty();
      }
      WeakAllocStats stats = alloc.stats();
      assertThat(stats.admissionsRefused()).isEqualTo(200);
      assertThat(stats.usedBytes()).isEqualTo(used);
      assertThat(stats.allocatedBlocks()).isEqualTo(PER_REGION);
      alloc.clear();
      assertThat(alloc.stats().usedBytes()).isZero();
      assertThat(alloc.stats().allocatedBlocks()).isZero();
    }
  }

  @Test
  void give_withoutHash_isAdmittedAsUnderLru() {
    try (WeakAlloc alloc = alloc(Admission.TINY_LFU)) {
      List<WeakRef<byte[]>> refs = fill(alloc, 5);

      WeakRef<byte[]> plain = alloc.give(pattern(BLOCK_PAYLOAD, 50), Codecs.bytes());

      assertThat(plain.isPresent()).isTrue();
      assertThat(refs).filteredOn(ref -> !ref.isPresent()).hasSize(1);
      assertThat(alloc.stats().admissionsRefused()).isZero();
    }
  }

  @Test
  void give_admissionNone_evictsWhateverTheFrequency() {
    try (WeakAlloc alloc = alloc(Admission.NONE)) {
      List<WeakRef<byte[]>> refs = fill(alloc, 5);

      WeakRef<byte[]> cold = alloc.give(pattern(BLOCK_PAYLOAD, 99), Codecs.bytes(), null, 99);

      assertThat(cold.isPresent()).isTrue();
      assertThat(refs).filteredOn(ref -> !ref.isPresent()).hasSize(1);
      assertThat(alloc.stats().admissionsRefused()).isZero();
      assertThat(alloc.stats().overheadBytes()).isZero();
    }
  }

  @Test
  void stats_withAdmission_reportTheSketchAsOverhead() {
    try (WeakAlloc alloc = alloc(Admission.TINY_LFU)) {
      fill(alloc, 0);
      // The smallest sketch (64 longs) and memory of refusals (16 hashes).
      assertThat(alloc.stats().overheadBytes()).isEqualTo(64 * 8 + 16 * 8);
    }
  }

  /**
   * A hot set that fits, then one pass over a cold range ten times the region: with admission the
   * hot set's hit ratio after the scan stays within 5 points of before; with LRU the scan pushes
   * it all out (asserted, to document the difference). Cache-aside over a 256 KiB region of 1 KiB
   * blocks, hot set of 128 keys.
   */
  @Test
  void scan_afterHotSet_hotSetSurvivesOnlyWithAdmission() {
    assertThat(scan(Admission.TINY_LFU)).isGreaterThanOrEqualTo(0.95);
    assertThat(scan(Admission.NONE)).isLessThan(0.05);
  }

  /** {@return the hot set's hit ratio after the scan; checks it was 1 before} */
  private static double scan(Admission admission) {
    int hot = 128;
    try (WeakAlloc alloc = WeakAlloc.builder(MemoryAllocator.region(256 << 10, 64 << 10))
        .admission(admission)
        .build()) {
      Map<Integer, WeakRef<byte[]>> cache = new HashMap<>();
      for (int round = 0; round < 9; round++) {
        hits(alloc, cache, 0, hot);
      }
      assertThat(hits(alloc, cache, 0, hot)).isEqualTo(hot);
      hits(alloc, cache, 1_000_000, 1_000_000 + 2_560);
      return hits(alloc, cache, 0, hot) / (double) hot;
    }
  }

  /** Reads keys [from, to) cache-aside, giving each miss; {@return the hits} */
  private static int hits(WeakAlloc alloc, Map<Integer, WeakRef<byte[]>> cache, int from, int to) {
    int hits = 0;
    for (int key = from; key < to; key++) {
      WeakRef<byte[]> ref = cache.get(key);
      if (ref != null && ref.getIfPresent() != null) {
        hits++;
      } else {
        cache.put(key, alloc.give(new byte[1024 - 16], Codecs.bytes(), null, key));
      }
    }
    return hits;
  }
}
