package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * An {@link ArcRef} dropped without {@code close()} is unpinned by a {@link java.lang.ref.Cleaner}
 * once unreachable; it must stay reachable, and so pinned, while one of its own reads runs. The
 * JIT (and the interpreter's liveness analysis) may consider {@code this} dead as soon as a method
 * has loaded its fields, so without a reachability fence a leaked pin can be cleaned in the middle
 * of {@link ArcRef#get()} and the block evicted and reused under the decoder.
 */
class LeakedPinReachabilityTest {
  static final int SIZE = 24 << 10;

  /**
   * Decodes in two halves; between them, when armed, collects garbage until the Cleaner drops a
   * leaked pin (or 100 ms pass), then gives a value that needs the room of the one being decoded.
   */
  static final class ProbingCodec implements Codec<byte[]> {
    WeakAlloc alloc;
    boolean armed;
    boolean unpinnedMidDecode;

    @Override
    public Encoding encode(byte[] value) {
      return Codecs.bytes().encode(value);
    }

    @Override
    public byte[] decode(MemorySegment bytes) {
      byte[] value = new byte[(int) bytes.byteSize()];
      int half = value.length / 2;
      MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, 0, value, 0, half);
      if (armed) {
        armed = false;
        long leaked = alloc.stats().leakedPins();
        unpinnedMidDecode = awaitLeakedPins(alloc, leaked + 1, 10);
        try {
          byte[] other = new byte[40 << 10];
          Arrays.fill(other, (byte) 2);
          alloc.give(other, Codecs.bytes());
        } catch (RegionPinnedException expected) {
          // the value being decoded is pinned: right
        }
      }
      MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, half, value, half, value.length - half);
      return value;
    }
  }

  @Test
  void leakedArcRef_staysPinnedWhileItsGetRuns() {
    ProbingCodec codec = new ProbingCodec();
    try (CapturedLog log = new CapturedLog();
        WeakAlloc alloc = WeakAlloc.over(MemoryAllocator.region(64 << 10, 64 << 10))) {
      codec.alloc = alloc;
      byte[] ones = new byte[SIZE];
      Arrays.fill(ones, (byte) 1);
      int corrupt = 0;
      int unpinned = 0;
      for (int round = 0; round < 10; round++) {
        WeakRef<byte[]> ref = alloc.give(ones, codec);
        for (int i = 0; i < 3_000; i++) { // warm up ArcRef.get until it is compiled
          try (ArcRef<byte[]> pin = ref.upgrade().orElseThrow()) {
            pin.get();
          }
        }
        codec.armed = true;
        byte[] got = leakedGet(ref);
        if (codec.unpinnedMidDecode) {
          unpinned++;
        }
        if (got[SIZE - 1] != 1) {
          corrupt++;
        }
        alloc.clear();
        assertThat(awaitLeakedPins(alloc, round + 1, 200)).as("the leaked pin is cleaned").isTrue();
      }
      assertThat(log.warnings()).as("the leaks it makes on purpose, logged once")
          .singleElement().asString().contains("garbage-collected without close()");
      assertThat(unpinned).as("a leaked pin unpinned while its get() ran").isZero();
      assertThat(corrupt).as("reads that returned another value's bytes").isZero();
    }
  }

  /** Collects garbage until the allocator has counted {@code count} leaked pins. */
  static boolean awaitLeakedPins(WeakAlloc alloc, long count, int tries) {
    for (int i = 0; i < tries && alloc.stats().leakedPins() < count; i++) {
      TestValues.collectGarbage();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    return alloc.stats().leakedPins() >= count;
  }

  private static byte[] leakedGet(WeakRef<byte[]> ref) {
    return ref.upgrade().orElseThrow().get(); // never closed: only the Cleaner drops this pin
  }
}
