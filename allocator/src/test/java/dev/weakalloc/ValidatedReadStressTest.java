package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/**
 * Validated optimistic reads racing frees of the very handles they read: a writer frees a value
 * and at once gives a new one of the same size, which takes the freed block over and overwrites
 * it, while readers call {@link WeakRef#getIfPresent()} on the freed handles. A read returns the
 * value of its own handle, whole, or null: never bytes of the value that replaced it. The same
 * with scoped reads ({@link WeakRef#readIfPresent}), which read in place while pinned, and with a
 * second writer whose gives evict.
 *
 * <p>Runs {@code read.stress.seconds} (default 3). To run longer: {@code ./mvnw -pl allocator test
 * -Dtest=ValidatedReadStressTest -Dread.stress.seconds=120}.
 */
class ValidatedReadStressTest {
  private static final int SLOTS = 8;
  private static final int VALUE = 16 << 10;

  @Test
  void getIfPresent_racingWithFreeAndReuseOfItsBlock_returnsItsOwnValueOrNull() throws Exception {
    long seconds = Long.getLong("read.stress.seconds", 3);
    try (WeakAlloc alloc = WeakAlloc.over(MemoryAllocator.region(256 << 10, 64 << 10))) {
      assertThat(alloc.readsOptimistically).isTrue();
      AtomicReferenceArray<WeakRef<byte[]>> slots = filledSlots(alloc);
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(3);
      Future<Long> writer = pool.submit(() -> replaceUntilStopped(alloc, slots, stop));
      List<Future<long[]>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(pool.submit(() -> read(slots, stop)));
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      stop.set(true);
      long writes = writer.get(1, TimeUnit.MINUTES);
      long[] counts = sumOf(readers); // a wrong read fails here
      long valid = counts[0];
      long discarded = counts[1];
      pool.shutdown();
      assertThat(writes).isGreaterThan(1000);
      assertThat(valid).as("reads that returned their value").isGreaterThan(1000);
      assertThat(discarded).as("reads of a handle freed before or during the read").isPositive();
    }
  }

  @Test
  void readIfPresent_racingWithFreeReuseAndEviction_readsItsOwnValueInPlaceOrNull() throws Exception {
    long seconds = Long.getLong("read.stress.seconds", 3);
    try (WeakAlloc alloc = WeakAlloc.over(MemoryAllocator.region(256 << 10, 64 << 10))) {
      AtomicReferenceArray<WeakRef<byte[]>> slots = filledSlots(alloc);
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      Future<Long> writer = pool.submit(() -> replaceUntilStopped(alloc, slots, stop));
      Future<Long> evictor = pool.submit(() -> {
        long gives = 0;
        for (int id = -1; !stop.get(); id--) {
          give(alloc, id); // the region holds 16 values: gives past it evict the oldest unpinned
          gives++;
        }
        return gives;
      });
      List<Future<long[]>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(pool.submit(() -> readScoped(slots, stop)));
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      stop.set(true);
      long writes = writer.get(1, TimeUnit.MINUTES) + evictor.get(1, TimeUnit.MINUTES);
      long[] counts = sumOf(readers); // a wrong read fails here
      long valid = counts[0];
      long absent = counts[1];
      pool.shutdown();
      assertThat(writes).isGreaterThan(1000);
      assertThat(alloc.stats().evictions()).isPositive();
      assertThat(valid).as("reads that read their value").isGreaterThan(1000);
      assertThat(absent).as("reads of a handle freed or evicted before the read").isPositive();
      assertThat(alloc.stats().leakedPins()).isZero();
    }
  }

  /** {@return the counts of scoped reads that read their value and that found it gone} */
  private static long[] readScoped(AtomicReferenceArray<WeakRef<byte[]>> slots, AtomicBoolean stop) {
    long[] counts = new long[2];
    byte[] buffer = new byte[VALUE];
    for (int i = 0; !stop.get(); i++) {
      WeakRef<byte[]> ref = slots.get(i % SLOTS);
      int id = (Integer) ref.tag();
      Boolean read = ref.readIfPresent(bytes -> {
        bytes.copyTo(0, buffer, 0, VALUE); // in place, pinned: a block reused under it shows here
        return isValue(buffer, id);
      });
      if (read == null) {
        counts[1]++;
      } else if (!read) {
        throw new AssertionError("a scoped read of value " + id + " saw other bytes (first int "
            + ByteBuffer.wrap(buffer).getInt() + ")");
      } else {
        counts[0]++;
      }
    }
    return counts;
  }

  /**
   * {@return the readers' counts added up: reads that got their value, and reads that found it
   * gone} Waits for each reader; a reader that saw wrong bytes throws here.
   */
  private static long[] sumOf(List<Future<long[]>> readers) throws Exception {
    long[] sum = new long[2];
    for (Future<long[]> reader : readers) {
      long[] counts = reader.get(1, TimeUnit.MINUTES);
      sum[0] += counts[0];
      sum[1] += counts[1];
    }
    return sum;
  }

  /** {@return {@link #SLOTS} slots, each holding a value given with its id as its tag} */
  private static AtomicReferenceArray<WeakRef<byte[]>> filledSlots(WeakAlloc alloc) {
    AtomicReferenceArray<WeakRef<byte[]>> slots = new AtomicReferenceArray<>(SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      slots.set(i, give(alloc, i));
    }
    return slots;
  }

  /**
   * Frees each slot's value and gives a new one in its place (of the same size: it takes the
   * freed block) until {@code stop}; {@return the number of replacements}
   */
  private static long replaceUntilStopped(
      WeakAlloc alloc, AtomicReferenceArray<WeakRef<byte[]>> slots, AtomicBoolean stop) {
    long writes = 0;
    for (int id = SLOTS; !stop.get(); id++) {
      int slot = id % SLOTS;
      alloc.free(slots.get(slot));
      slots.set(slot, give(alloc, id));
      writes++;
    }
    return writes;
  }

  private static WeakRef<byte[]> give(WeakAlloc alloc, int id) {
    return alloc.give(value(id), Codecs.bytes(), id);
  }

  /** {@return the counts of reads that returned a value and that returned null} */
  private static long[] read(AtomicReferenceArray<WeakRef<byte[]>> slots, AtomicBoolean stop) {
    long[] counts = new long[2];
    for (int i = 0; !stop.get(); i++) {
      WeakRef<byte[]> ref = slots.get(i % SLOTS);
      byte[] bytes = ref.getIfPresent();
      if (bytes == null) {
        counts[1]++;
      } else {
        int id = (Integer) ref.tag();
        if (!isValue(bytes, id)) {
          throw new AssertionError("a read of value " + id + " returned other bytes (first int "
              + ByteBuffer.wrap(bytes).getInt() + ")");
        }
        counts[0]++;
      }
    }
    return counts;
  }

  private static byte[] value(int id) {
    ByteBuffer buffer = ByteBuffer.allocate(VALUE);
    while (buffer.hasRemaining()) {
      buffer.putInt(id);
    }
    return buffer.array();
  }

  private static boolean isValue(byte[] bytes, int id) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (bytes.length != VALUE) {
      return false;
    }
    while (buffer.hasRemaining()) {
      if (buffer.getInt() != id) {
        return false;
      }
    }
    return true;
  }
}
