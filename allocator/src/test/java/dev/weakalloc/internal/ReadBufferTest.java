package dev.weakalloc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lossy striped read buffer: offer and drain, a full stripe, drain order. */
class ReadBufferTest {

  @Test
  void drainTo_afterOffers_handsOverOldestFirst() {
    ReadBuffer<Integer> buffer = new ReadBuffer<>(4);
    for (int i = 0; i < 10; i++) {
      assertThat(buffer.offer(i)).isEqualTo(ReadBuffer.Offer.ADDED);
    }
    List<Integer> drained = new ArrayList<>();

    buffer.drainTo(drained::add);

    assertThat(drained).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void drainTo_twice_secondDrainsNothing() {
    ReadBuffer<Integer> buffer = new ReadBuffer<>(1);
    buffer.offer(1);
    buffer.drainTo(e -> {});
    List<Integer> drained = new ArrayList<>();

    buffer.drainTo(drained::add);

    assertThat(drained).isEmpty();
  }

  @Test
  void offer_stripeFull_returnsFullAndDropsTheRecord() {
    ReadBuffer<Integer> buffer = new ReadBuffer<>(2);
    for (int i = 0; i < ReadBuffer.SLOTS; i++) {
      assertThat(buffer.offer(i)).isEqualTo(ReadBuffer.Offer.ADDED);
    }

    assertThat(buffer.offer(99)).isEqualTo(ReadBuffer.Offer.FULL);

    List<Integer> drained = new ArrayList<>();
    buffer.drainTo(drained::add);
    assertThat(drained).hasSize(ReadBuffer.SLOTS).doesNotContain(99);
  }

  @Test
  void offer_afterDrainOfAFullStripe_addsAgainInOrderAcrossTheWrap() {
    ReadBuffer<Integer> buffer = new ReadBuffer<>(1);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < ReadBuffer.SLOTS; i++) {
        assertThat(buffer.offer(round * 100 + i)).isEqualTo(ReadBuffer.Offer.ADDED);
      }
      assertThat(buffer.offer(-1)).isEqualTo(ReadBuffer.Offer.FULL);
      List<Integer> drained = new ArrayList<>();
      buffer.drainTo(drained::add);
      assertThat(drained).hasSize(ReadBuffer.SLOTS).startsWith(round * 100).endsWith(round * 100 + 15);
      assertThat(drained).isSorted();
    }
  }

  @Test
  void constructor_stripesNotPowerOfTwo_throwsNamingTheValue() {
    assertThatThrownBy(() -> new ReadBuffer<>(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3");
  }

  @Test
  void offer_manyThreads_drainsOnlyWhatWasAddedAndAtMostOnce() throws InterruptedException {
    ReadBuffer<Integer> buffer = new ReadBuffer<>();
    AtomicInteger added = new AtomicInteger();
    ConcurrentHashMap<Integer, Boolean> drained = new ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 1_000_000;
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 2000; i++) {
          if (buffer.offer(base + i) == ReadBuffer.Offer.ADDED) {
            added.incrementAndGet();
          }
        }
      }));
    }
    // The single consumer drains concurrently with the producers.
    while (threads.stream().anyMatch(Thread::isAlive)) {
      buffer.drainTo(e -> assertThat(drained.put(e, true)).as("%d drained twice", e).isNull());
    }
    for (Thread thread : threads) {
      thread.join();
    }
    buffer.drainTo(e -> assertThat(drained.put(e, true)).as("%d drained twice", e).isNull());

    assertThat(drained).hasSize(added.get());
  }
}
