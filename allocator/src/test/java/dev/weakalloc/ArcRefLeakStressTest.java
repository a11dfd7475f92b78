package dev.weakalloc;

import static dev.weakalloc.TestValues.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link LeakTracker}'s table under load: threads upgrade and close, hold 1,100 pins each open
 * at once (more than a stripe's 1,024 slots, so some go to the overflow set), close some
 * from another thread than the one that opened them, and leak some. Every closed pin is dropped
 * once, and every leaked one is found by the garbage collector and dropped: no pin stays.
 *
 * <p>To run longer: {@code ./mvnw -pl allocator test -Dtest=ArcRefLeakStressTest
 * -Dleak.stress.rounds=200}.
 */
class ArcRefLeakStressTest {
  private static final int VALUES = 64;
  private final WeakAlloc alloc = WeakAlloc.withCapacity(1 << 20);
  private final CapturedLog log = new CapturedLog();

  @AfterEach
  void close() {
    alloc.close();
    log.close();
  }

  @Test
  void upgradeCloseAndLeak_fromManyThreads_everyPinDroppedOnce() throws Exception {
    int rounds = Integer.getInteger("leak.stress.rounds", 20);
    List<WeakRef<byte[]>> refs = new ArrayList<>();
    for (int i = 0; i < VALUES; i++) {
      refs.add(alloc.give(pattern(100, i), Codecs.bytes()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Long>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int seed = w;
      workers.add(pool.submit(() -> pinAndLeak(refs, rounds, seed, pool)));
    }
    long leaked = 0;
    for (Future<Long> worker : workers) {
      leaked += worker.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while ((alloc.stats().leakedPins() < leaked || pins(refs) > 0) && System.nanoTime() < deadline) {
      TestValues.collectGarbage();
      Thread.sleep(20);
    }
    assertThat(alloc.stats().leakedPins()).isEqualTo(leaked);
    assertThat(pins(refs)).as("pins left").isZero();
    assertThat(alloc.stats().pinnedBytes()).isZero();
  }

  /** {@return how many pins this worker leaked} */
  private static long pinAndLeak(List<WeakRef<byte[]>> refs, int rounds, int seed, ExecutorService pool)
      throws Exception {
    long leaked = 0;
    for (int round = 0; round < rounds; round++) {
      List<ArcRef<byte[]>> held = new ArrayList<>();
      for (int i = 0; i < 1100; i++) { // held open at once: past a stripe's slots
        held.add(refs.get((i + seed) % VALUES).upgrade().orElseThrow());
      }
      for (int i = 0; i < 1000; i++) { // short pins
        refs.get((i * 7 + seed) % VALUES).upgrade().orElseThrow().close();
      }
      for (int i = 0; i < held.size(); i++) {
        if (i % 10 == 0) {
          leaked++; // dropped without close
        } else if (i % 10 == 1 && !pool.isShutdown()) {
          ArcRef<byte[]> pin = held.get(i);
          Thread closer = Thread.ofPlatform().start(pin::close); // closed by another thread
          closer.join();
          pin.close(); // and again: idempotent
        } else {
          held.get(i).close();
        }
      }
      held.clear();
    }
    return leaked;
  }

  private static long pins(List<WeakRef<byte[]>> refs) {
    return refs.stream().mapToLong(WeakRef::pins).sum();
  }
}
