package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link Codec}, subclassed per codec: every sample survives a round trip
 * through a real {@link WeakAlloc} and through a plain segment, writes exactly the bytes it
 * announced, and decodes to a fresh value each time.
 *
 * @param <T> the type of values
 */
abstract class CodecContractTest<T> {

  /** {@return the codec under test} */
  abstract Codec<T> codec();

  /** {@return values to round-trip, edge cases included} */
  abstract List<T> samples();

  /** Asserts that {@code actual} is the value {@code expected} was. */
  void assertRoundTrip(T expected, T actual) {
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void roundTrip_throughWeakAlloc_givesTheValueBack() {
    try (WeakAlloc alloc = TestValues.smallAlloc()) {
      for (T sample : samples()) {
        WeakRef<T> ref = alloc.give(sample, codec());
        assertRoundTrip(sample, ref.getIfPresent());
        try (ArcRef<T> pin = ref.upgrade().orElseThrow()) {
          assertRoundTrip(sample, pin.get());
          assertThat(pin.bytes().size()).isEqualTo(ref.byteSize());
        }
        try (ArcRef<T> pin = alloc.giveAndUpgrade(sample, codec())) {
          assertRoundTrip(sample, pin.get());
        }
      }
    }
  }

  @Test
  void roundTrip_throughPlainSegment_writesExactlyByteSize() {
    try (Arena arena = Arena.ofConfined()) {
      for (T sample : samples()) {
        Codec.Encoding encoding = codec().encode(sample);
        long size = encoding.byteSize();
        assertThat(size).isNotNegative();
        // Guard bytes on both sides catch a write outside the segment given.
        MemorySegment guarded = arena.allocate(size + 32);
        guarded.fill((byte) 0x5A);
        MemorySegment target = guarded.asSlice(16, size);

        encoding.writeTo(target);

        for (long i = 0; i < 16; i++) {
          assertThat(guarded.get(ValueLayout.JAVA_BYTE, i)).isEqualTo((byte) 0x5A);
          assertThat(guarded.get(ValueLayout.JAVA_BYTE, 16 + size + i)).isEqualTo((byte) 0x5A);
        }
        assertRoundTrip(sample, codec().decode(target.asReadOnly()));
      }
    }
  }

  @Test
  void encode_twice_sameBytes() {
    try (Arena arena = Arena.ofConfined()) {
      for (T sample : samples()) {
        Codec.Encoding first = codec().encode(sample);
        Codec.Encoding second = codec().encode(sample);
        MemorySegment a = arena.allocate(Math.max(1, first.byteSize())).asSlice(0, first.byteSize());
        MemorySegment b = arena.allocate(Math.max(1, second.byteSize())).asSlice(0, second.byteSize());
        first.writeTo(a);
        second.writeTo(b);
        assertThat(a.mismatch(b)).as("encodings of %s differ", sample).isEqualTo(-1);
      }
    }
  }

  @Test
  void encode_null_throwsNullPointerException() {
    assertThatThrownBy(() -> codec().encode(null)).isInstanceOf(NullPointerException.class);
  }
}
