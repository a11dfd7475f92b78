package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every built-in codec against the {@link CodecContractTest}, plus their own edge cases. */
class CodecsTest {

  @Nested
  class Bytes extends CodecContractTest<byte[]> {
    @Override
    Codec<byte[]> codec() {
      return Codecs.bytes();
    }

    @Override
    List<byte[]> samples() {
      return List.of(new byte[0], new byte[] {-128}, TestValues.pattern(10_000, 9));
    }

    @Test
    void decode_twice_returnsFreshArrays() {
      MemorySegment bytes = MemorySegment.ofArray(new byte[] {1, 2, 3});
      byte[] first = codec().decode(bytes);
      first[0] = 9;
      assertThat(codec().decode(bytes)).containsExactly(1, 2, 3);
    }
  }

  @Nested
  class ByteBuffers extends CodecContractTest<ByteBuffer> {
    @Override
    Codec<ByteBuffer> codec() {
      return Codecs.byteBuffer();
    }

    @Override
    List<ByteBuffer> samples() {
      ByteBuffer direct = ByteBuffer.allocateDirect(300);
      direct.put(TestValues.pattern(300, 4)).flip();
      ByteBuffer windowed = ByteBuffer.wrap(TestValues.pattern(100, 5)).position(10).limit(60);
      return List.of(ByteBuffer.allocate(0), ByteBuffer.wrap(TestValues.pattern(1000, 3)), direct, windowed);
    }

    @Test
    void encode_windowedBuffer_storesRemainingBytesWithoutMovingPosition() {
      ByteBuffer windowed = ByteBuffer.wrap(TestValues.pattern(100, 5)).position(10).limit(60);
      try (WeakAlloc alloc = TestValues.smallAlloc()) {
        WeakRef<ByteBuffer> ref = alloc.give(windowed, codec());

        assertThat(windowed.position()).isEqualTo(10);
        assertThat(ref.byteSize()).isEqualTo(50);
        ByteBuffer decoded = ref.getIfPresent();
        assertThat(decoded.isReadOnly()).isFalse();
        assertThat(decoded.remaining()).isEqualTo(50);
        byte[] expected = Arrays.copyOfRange(TestValues.pattern(100, 5), 10, 60);
        byte[] actual = new byte[50];
        decoded.get(actual);
        assertThat(actual).isEqualTo(expected);
      }
    }
  }

  @Nested
  class Strings extends CodecContractTest<String> {
    @Override
    Codec<String> codec() {
      return Codecs.string();
    }

    @Override
    List<String> samples() {
      return List.of("", "a", "hello", "héllo wörld ✓ 日本語 😀 \u0000 end", "x".repeat(20_000));
    }

    @Test
    void encode_nonAscii_isUtf8() {
      String value = "é😀";
      try (WeakAlloc alloc = TestValues.smallAlloc()) {
        WeakRef<String> ref = alloc.give(value, codec());
        try (ArcRef<String> pin = ref.upgrade().orElseThrow()) {
          assertThat(pin.bytes().toArray()).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }

  @Nested
  class Longs extends CodecContractTest<Long> {
    @Override
    Codec<Long> codec() {
      return Codecs.longs();
    }

    @Override
    List<Long> samples() {
      return List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x0102030405060708L);
    }

    @Test
    void encode_anyLong_isEightBytesLittleEndian() {
      assertThat(codec().encode(0x0102030405060708L).byteSize()).isEqualTo(8);
      byte[] bytes = new byte[8];
      codec().encode(0x0102030405060708L).writeTo(MemorySegment.ofArray(bytes));
      assertThat(bytes).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
    }

    @Test
    void decode_wrongSize_throwsCodecException() {
      assertThatThrownBy(() -> codec().decode(MemorySegment.ofArray(new byte[4])))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("8");
    }
  }

  @Nested
  class Ints extends CodecContractTest<Integer> {
    @Override
    Codec<Integer> codec() {
      return Codecs.ints();
    }

    @Override
    List<Integer> samples() {
      return List.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
  }

  @Nested
  class Shorts extends CodecContractTest<Short> {
    @Override
    Codec<Short> codec() {
      return Codecs.shorts();
    }

    @Override
    List<Short> samples() {
      return List.of((short) 0, (short) -1, Short.MIN_VALUE, Short.MAX_VALUE);
    }
  }

  @Nested
  class ByteValues extends CodecContractTest<Byte> {
    @Override
    Codec<Byte> codec() {
      return Codecs.byteValues();
    }

    @Override
    List<Byte> samples() {
      return List.of((byte) 0, (byte) -1, Byte.MIN_VALUE, Byte.MAX_VALUE);
    }
  }

  @Nested
  class Chars extends CodecContractTest<Character> {
    @Override
    Codec<Character> codec() {
      return Codecs.chars();
    }

    @Override
    List<Character> samples() {
      return List.of('\u0000', 'a', 'é', '\uD83D', Character.MAX_VALUE);
    }
  }

  @Nested
  class Booleans extends CodecContractTest<Boolean> {
    @Override
    Codec<Boolean> codec() {
      return Codecs.booleans();
    }

    @Override
    List<Boolean> samples() {
      return List.of(true, false);
    }

    @Test
    void decode_byteOtherThanZeroOrOne_throwsCodecException() {
      assertThatThrownBy(() -> codec().decode(MemorySegment.ofArray(new byte[] {2})))
          .isInstanceOf(CodecException.class);
    }
  }

  @Nested
  class Floats extends CodecContractTest<Float> {
    @Override
    Codec<Float> codec() {
      return Codecs.floats();
    }

    @Override
    List<Float> samples() {
      // Float.equals compares bits: NaN equals NaN, -0.0 differs from 0.0.
      return List.of(0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
          Float.MIN_VALUE, Float.MAX_VALUE, Float.intBitsToFloat(0x7fc00001));
    }

    @Override
    void assertRoundTrip(Float expected, Float actual) {
      assertThat(Float.floatToRawIntBits(actual)).isEqualTo(Float.floatToRawIntBits(expected));
    }
  }

  @Nested
  class Doubles extends CodecContractTest<Double> {
    @Override
    Codec<Double> codec() {
      return Codecs.doubles();
    }

    @Override
    List<Double> samples() {
      return List.of(0d, -0d, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
          Double.MIN_VALUE, Double.MAX_VALUE, Math.PI);
    }

    @Override
    void assertRoundTrip(Double expected, Double actual) {
      assertThat(Double.doubleToRawLongBits(actual)).isEqualTo(Double.doubleToRawLongBits(expected));
    }
  }

  /** A record to serialize. */
  record Point(int x, String label, List<Integer> path) implements Serializable {}

  /** Not serializable. */
  static final class Opaque {
    final int value = 1;
  }

  @Nested
  class AnyType extends CodecContractTest<Object> {
    @Override
    Codec<Object> codec() {
      return Codecs.anyType(CodecsTest.class.getClassLoader());
    }

    @Override
    List<Object> samples() {
      return List.of(
          "plain", "", 42L, 7, (short) 3, (byte) -1, 'x', true, 1.5f, -0.25, new Point(1, "p", List.of(2)),
          new ArrayList<>(List.of(1L, 2L)));
    }

    @Override
    void assertRoundTrip(Object expected, Object actual) {
      assertThat(actual).isEqualTo(expected).hasSameClassAs(expected);
    }

    @Test
    void encode_string_isTagPlusUtf8NotSerialization() {
      assertThat(codec().encode("héllo").byteSize()).isEqualTo(1 + "héllo".getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void roundTrip_byteArray_givesEqualBytesBack() {
      try (WeakAlloc alloc = TestValues.smallAlloc()) {
        byte[] bytes = {1, 2, 3};
        assertThat((byte[]) alloc.give((Object) bytes, codec()).getIfPresent()).containsExactly(1, 2, 3);
      }
    }

    @Test
    void decode_unknownTag_throwsCodecException() {
      assertThatThrownBy(() -> codec().decode(MemorySegment.ofArray(new byte[] {99, 1})))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("99");
    }
  }

  @Nested
  class Serialized extends CodecContractTest<Object> {
    @Override
    Codec<Object> codec() {
      return Codecs.serializable(CodecsTest.class.getClassLoader());
    }

    @Override
    List<Object> samples() {
      Map<String, Object> map = new TreeMap<>(Map.of("a", 1, "b", List.of("x", "y")));
      return List.of(new Point(3, "héllo", List.of(1, 2, 3)), map, new ArrayList<>(List.of(1L, 2L)), "plain", 42L);
    }

    @Test
    void encode_notSerializable_throwsCodecExceptionNamingTheClass() {
      assertThatThrownBy(() -> codec().encode(new Opaque()))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining(Opaque.class.getName());
    }

    @Test
    void give_notSerializable_throwsCodecExceptionAndAllocatesNothing() {
      try (WeakAlloc alloc = TestValues.smallAlloc()) {
        assertThatThrownBy(() -> alloc.give(new Opaque(), codec())).isInstanceOf(CodecException.class);
        assertThat(alloc.stats().usedBytes()).isZero();
        assertThat(alloc.stats().liveValues()).isZero();
      }
    }

    @Test
    void give_serializableHoldingANonSerializableField_throwsCodecException() {
      record Holder(Object inside) implements Serializable {}
      try (WeakAlloc alloc = TestValues.smallAlloc()) {
        assertThatThrownBy(() -> alloc.give(new Holder(new Opaque()), codec()))
            .isInstanceOf(CodecException.class);
        assertThat(alloc.stats().usedBytes()).isZero();
      }
    }

    @Test
    void decode_garbage_throwsCodecException() {
      assertThatThrownBy(() -> codec().decode(MemorySegment.ofArray(new byte[] {1, 2, 3})))
          .isInstanceOf(CodecException.class);
    }

    @Test
    void decode_nullClassLoader_usesContextLoader() {
      Codec<Point> codec = Codecs.serializable(null);
      try (WeakAlloc alloc = TestValues.smallAlloc()) {
        Point point = new Point(1, "p", List.of());
        assertThat(alloc.give(point, codec).getIfPresent()).isEqualTo(point);
      }
    }
  }

  // --- forClass ---

  @Test
  void forClass_primitiveTypes_picksTheBoxedCodec() {
    ClassLoader loader = getClass().getClassLoader();
    assertThat(Codecs.forClass(long.class, loader)).isSameAs(Codecs.longs());
    assertThat(Codecs.forClass(int.class, loader)).isSameAs(Codecs.ints());
    assertThat(Codecs.forClass(boolean.class, loader)).isSameAs(Codecs.booleans());
    assertThat(Codecs.forClass(double.class, loader)).isSameAs(Codecs.doubles());
  }

  @Test
  void forClass_builtInTypes_picksTheDedicatedCodec() {
    ClassLoader loader = CodecsTest.class.getClassLoader();
    assertThat(Codecs.forClass(byte[].class, loader)).isSameAs(Codecs.bytes());
    assertThat(Codecs.forClass(ByteBuffer.class, loader)).isSameAs(Codecs.byteBuffer());
    assertThat(Codecs.forClass(MappedByteBuffer.class, loader)).isSameAs(Codecs.byteBuffer());
    assertThat(Codecs.forClass(String.class, loader)).isSameAs(Codecs.string());
    assertThat(Codecs.forClass(Long.class, loader)).isSameAs(Codecs.longs());
    assertThat(Codecs.forClass(Integer.class, loader)).isSameAs(Codecs.ints());
    assertThat(Codecs.forClass(Short.class, loader)).isSameAs(Codecs.shorts());
    assertThat(Codecs.forClass(Byte.class, loader)).isSameAs(Codecs.byteValues());
    assertThat(Codecs.forClass(Character.class, loader)).isSameAs(Codecs.chars());
    assertThat(Codecs.forClass(Boolean.class, loader)).isSameAs(Codecs.booleans());
    assertThat(Codecs.forClass(Float.class, loader)).isSameAs(Codecs.floats());
    assertThat(Codecs.forClass(Double.class, loader)).isSameAs(Codecs.doubles());
  }

  @Test
  void forClass_object_tagsEachValueWithItsDedicatedCodec() {
    Codec<Object> codec = Codecs.forClass(Object.class, CodecsTest.class.getClassLoader());
    assertThat(codec.encode("abc").byteSize()).isEqualTo(4);
    assertThat(codec.encode(new byte[10]).byteSize()).isEqualTo(11);
    assertThat(codec.encode(5L).byteSize()).isEqualTo(9);
  }

  @Test
  void forClass_otherType_serializesWithTheGivenLoader() {
    Codec<Point> codec = Codecs.forClass(Point.class, CodecsTest.class.getClassLoader());
    Point point = new Point(7, "seven", List.of(7));

    assertThat(codec).isNotSameAs(Codecs.bytes()).isNotSameAs(Codecs.string());
    try (WeakAlloc alloc = TestValues.smallAlloc()) {
      assertThat(alloc.give(point, codec).getIfPresent()).isEqualTo(point);
    }
    assertThatThrownBy(() -> Codecs.forClass(Opaque.class, null).encode(new Opaque()))
        .isInstanceOf(CodecException.class);
  }
}
