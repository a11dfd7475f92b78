package dev.weakalloc;

import static dev.weakalloc.TestValues.BLOCK_PAYLOAD;
import static dev.weakalloc.TestValues.PER_REGION;
import static dev.weakalloc.TestValues.REGION;
import static dev.weakalloc.TestValues.isPattern;
import static dev.weakalloc.TestValues.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The eviction listener: once per evicted value, never for free or clear, failures contained. */
class EvictionListenerTest {
  private final List<WeakRef<?>> evicted = new CopyOnWriteArrayList<>();

  private WeakAlloc listening(EvictionListener listener) {
    return WeakAlloc.builder(MemoryAllocator.region(REGION, REGION)).evictionListener(listener).build();
  }

  private static List<WeakRef<byte[]>> fill(WeakAlloc alloc, int from) {
    List<WeakRef<byte[]>> refs = new ArrayList<>();
    for (int i = from; i < from + PER_REGION; i++) {
      refs.add(alloc.give(pattern(BLOCK_PAYLOAD, i), Codecs.bytes(), "key-" + i));
    }
    return refs;
  }

  @Test
  void onEviction_eachEvictedValue_calledOnceWithTagAndSize() {
    try (WeakAlloc alloc = listening(evicted::add)) {
      List<WeakRef<byte[]>> first = fill(alloc, 0);
      assertThat(evicted).isEmpty();

      fill(alloc, 100);

      assertThat(evicted).containsExactlyElementsOf(first); // once each, oldest first
      assertThat(evicted).extracting(WeakRef::tag).containsExactly(
          first.stream().map(WeakRef::tag).toArray());
      assertThat(evicted).allSatisfy(ref -> {
        assertThat(ref.byteSize()).isEqualTo(BLOCK_PAYLOAD);
        assertThat(ref.isPresent()).isFalse();
        assertThat(ref.upgrade()).isEmpty();
      });
      assertThat(alloc.stats().evictions()).isEqualTo(evicted.size());
    }
  }

  @Test
  void onEviction_mixedSizesEvictedAroundAVictim_calledForEveryOne() {
    try (WeakAlloc alloc = listening(evicted::add)) {
      List<WeakRef<byte[]>> small = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        small.add(alloc.give(pattern(1000, i), Codecs.bytes(), i));
      }

      alloc.give(pattern(30_000, 1), Codecs.bytes(), "big");

      List<WeakRef<byte[]>> gone = small.stream().filter(r -> !r.isPresent()).toList();
      assertThat(gone).isNotEmpty();
      assertThat(evicted).containsExactlyInAnyOrderElementsOf(gone);
      WeakAllocStats stats = alloc.stats();
      assertThat(stats.evictions()).isEqualTo(gone.size());
      assertThat(stats.evictedBytes()).isEqualTo(1000L * gone.size());
    }
  }

  @Test
  void onEviction_freeAndClear_notCalled() {
    try (WeakAlloc alloc = listening(evicted::add)) {
      List<WeakRef<byte[]>> refs = fill(alloc, 0);
      ArcRef<byte[]> pin = refs.get(3).upgrade().orElseThrow();

      alloc.free(refs.get(0));
      alloc.free(refs.get(3));
      pin.close();
      alloc.clear();

      assertThat(refs).noneMatch(WeakRef::isPresent);
      assertThat(evicted).isEmpty();
      assertThat(alloc.stats().evictions()).isZero();
    }
  }

  @Test
  void onEviction_listenerThrows_allocatorKeepsWorking() {
    EvictionListener failing =
        ref -> {
          evicted.add(ref);
          throw new IllegalStateException("listener bug");
        };
    try (CapturedLog log = new CapturedLog(); WeakAlloc alloc = listening(failing)) {
      fill(alloc, 0);

      List<WeakRef<byte[]>> second = fill(alloc, 100);

      assertThat(evicted).hasSize(PER_REGION);
      assertThat(log.records()).hasSize(PER_REGION).allSatisfy(r -> {
        assertThat(r.getMessage()).isEqualTo("eviction listener threw; ignored");
        assertThat(r.getThrown()).hasMessage("listener bug");
      });
      for (int i = 0; i < PER_REGION; i++) {
        assertThat(isPattern(second.get(i).getIfPresent(), 100 + i)).isTrue();
      }
      WeakAllocStats stats = alloc.stats();
      assertThat(stats.liveValues()).isEqualTo(PER_REGION);
      assertThat(stats.usedBytes()).isEqualTo(REGION);
      assertThat(stats.evictions()).isEqualTo(PER_REGION);
    }
  }
}
