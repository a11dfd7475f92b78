package dev.weakalloc;

import static dev.weakalloc.TestValues.isPattern;
import static dev.weakalloc.TestValues.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plan, then evict, over an allocator that does not lay blocks side by side (a limit on the system
 * allocator): the plan is the least recently used unpinned values whose blocks add up to what is
 * missing; if all of them would not be enough, the give fails and evicts nothing.
 */
class EvictionPlanLimitTest {
  private static final int VALUE = 4000;

  private final MemoryAllocator limited = MemoryAllocator.limit(MemoryAllocator.system(), 64 << 10);
  private final ConcurrentLinkedQueue<WeakRef<?>> evicted = new ConcurrentLinkedQueue<>();
  private final WeakAlloc alloc = WeakAlloc.builder(limited).evictionListener(evicted::add).build();
  private final List<WeakRef<byte[]>> refs = new ArrayList<>();

  @AfterEach
  void close() {
    alloc.close();
  }

  private void fill() {
    while (alloc.stats().evictions() == 0 && refs.size() < 100) {
      refs.add(alloc.give(pattern(VALUE, refs.size()), Codecs.bytes()));
    }
    evicted.clear();
  }

  @Test
  void give_thatFits_evictsTheOldestUnpinnedUntilItDoes() {
    fill();
    WeakRef<byte[]> oldestLeft = refs.stream().filter(WeakRef::isPresent).findFirst().orElseThrow();
    try (ArcRef<byte[]> pin = oldestLeft.upgrade().orElseThrow()) {
      WeakRef<byte[]> big = alloc.give(pattern(3 * VALUE, -1), Codecs.bytes());

      assertThat(isPattern(big.getIfPresent(), -1)).isTrue();
      assertThat(evicted).isNotEmpty().doesNotContain(oldestLeft).allMatch(ref -> !ref.isPresent());
      long freed = evicted.stream().mapToLong(ref -> limited.blockSize(ref.byteSize())).sum();
      assertThat(freed).as("about what was missing, not more").isLessThanOrEqualTo(limited.blockSize(3 * VALUE) + limited.blockSize(VALUE));
      assertThat(pin.get()).hasSize(VALUE);
    }
  }

  @Test
  void give_thatPinnedValuesMakeImpossible_failsEvictingNothing() {
    fill();
    List<ArcRef<byte[]>> pins = new ArrayList<>();
    List<WeakRef<byte[]>> present = refs.stream().filter(WeakRef::isPresent).toList();
    for (WeakRef<byte[]> ref : present.subList(2, present.size())) { // two stay evictable
      pins.add(ref.upgrade().orElseThrow());
    }
    long live = alloc.stats().liveValues();

    // Evicting both unpinned values would still leave too little room: the plan says so at once.
    assertThatThrownBy(() -> alloc.give(pattern(3 * VALUE, -1), Codecs.bytes()))
        .isInstanceOf(RegionPinnedException.class)
        .hasMessageContaining("nothing was evicted");

    assertThat(evicted).isEmpty();
    assertThat(alloc.stats().liveValues()).isEqualTo(live);
    assertThat(present.subList(0, 2)).allMatch(WeakRef::isPresent);
    pins.forEach(ArcRef::close);
  }
}
