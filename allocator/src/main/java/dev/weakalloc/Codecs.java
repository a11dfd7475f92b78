package dev.weakalloc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The built-in {@link Codec}s: {@code byte[]}, {@link ByteBuffer}, {@link String}, the boxed
 * primitives, and Java serialization. {@link #forClass} picks one for a type.
 *
 * <p>All codecs here are stateless and thread-safe. Fixed-size values are written in little-endian
 * order.
 */
public final class Codecs {
  private Codecs() {}

  private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
  private static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED;
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
  private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;

  /** {@return a codec that stores a byte array as it is; decoding returns a fresh copy} */
  public static Codec<byte[]> bytes() {
    return BytesCodec.INSTANCE;
  }

  /**
   * {@return a codec that stores the remaining bytes of a buffer (its position is not moved);
   * decoding returns a fresh read-write heap buffer}
   */
  public static Codec<ByteBuffer> byteBuffer() {
    return ByteBufferCodec.INSTANCE;
  }

  /** {@return a codec that stores a string as UTF-8} */
  public static Codec<String> string() {
    return StringCodec.INSTANCE;
  }

  /** {@return a codec for {@link Long}, 8 bytes} */
  public static Codec<Long> longs() {
    return FixedCodec.LONG;
  }

  /** {@return a codec for {@link Integer}, 4 bytes} */
  public static Codec<Integer> ints() {
    return FixedCodec.INT;
  }

  /** {@return a codec for {@link Short}, 2 bytes} */
  public static Codec<Short> shorts() {
    return FixedCodec.SHORT;
  }

  /** {@return a codec for {@link Byte}, 1 byte} */
  public static Codec<Byte> byteValues() {
    return FixedCodec.BYTE;
  }

  /** {@return a codec for {@link Character}, 2 bytes} */
  public static Codec<Character> chars() {
    return FixedCodec.CHAR;
  }

  /** {@return a codec for {@link Boolean}, 1 byte} */
  public static Codec<Boolean> booleans() {
    return FixedCodec.BOOLEAN;
  }

  /** {@return a codec for {@link Float}, 4 bytes} */
  public static Codec<Float> floats() {
    return FixedCodec.FLOAT;
  }

  /** {@return a codec for {@link Double}, 8 bytes} */
  public static Codec<Double> doubles() {
    return FixedCodec.DOUBLE;
  }

  /**
   * {@return a codec that uses Java serialization, resolving classes through {@code classLoader}}
   * Encoding a value that is not serializable throws {@link CodecException}.
   *
   * @param classLoader the loader for classes in decoded streams; null for the thread's context
   *     loader at decode time
   */
  public static <T> Codec<T> serializable(ClassLoader classLoader) {
    return new SerializingCodec<>(classLoader);
  }

  /**
   * {@return a codec for values of any type}: each value is written as a one-byte tag naming its
   * codec, then that codec's bytes. Byte arrays, buffers, strings and boxed primitives get their
   * dedicated codec; anything else Java serialization with {@code classLoader}. For caches typed
   * {@code Object} (as frameworks create them), this keeps a string from being serialized.
   */
  public static <T> Codec<T> anyType(ClassLoader classLoader) {
    return new TaggedCodec<>(classLoader);
  }

  /**
   * {@return the built-in codec for values of {@code type}}: a dedicated one for {@code byte[]},
   * {@code ByteBuffer}, {@code String} and the boxed primitives (and their primitive classes),
   * else {@link #anyType}, so that values of subtypes still get their dedicated codec.
   */
  @SuppressWarnings("unchecked")
  public static <T> Codec<T> forClass(Class<T> type, ClassLoader classLoader) {
    if (type.isPrimitive()) {
      type = (Class<T>) MethodType.methodType(type).wrap().returnType();
    }
    Codec<?> codec;
    if (type == byte[].class) {
      codec = bytes();
    } else if (ByteBuffer.class.isAssignableFrom(type)) {
      codec = byteBuffer();
    } else if (type == String.class) {
      codec = string();
    } else {
      codec = FixedCodec.forBoxedType(type);
      if (codec == null) {
        codec = anyType(classLoader);
      }
    }
    return (Codec<T>) codec;
  }

  /**
   * A tag byte, then the bytes of the codec the tag names:
   *
   * <pre>
   *   0      1
   *   +------+--------------------------------------+
   *   | tag  | the tagged codec's bytes ...         |
   *   +------+--------------------------------------+
   *   tag: 0 serialized, 1 byte[], 2 String, 3 ByteBuffer, 4 Long, 5 Integer, 6 Short, 7 Byte,
   *        8 Character, 9 Boolean, 10 Float, 11 Double
   * </pre>
   */
  private static final class TaggedCodec<T> implements Codec<T> {
    private final Codec<?>[] byTag;

    TaggedCodec(ClassLoader classLoader) {
      byTag =
          new Codec<?>[] {
            serializable(classLoader), bytes(), string(), byteBuffer(), FixedCodec.LONG,
            FixedCodec.INT, FixedCodec.SHORT, FixedCodec.BYTE, FixedCodec.CHAR, FixedCodec.BOOLEAN,
            FixedCodec.FLOAT, FixedCodec.DOUBLE
          };
    }

    private static int tagOf(Object value) {
      return switch (value) {
        case byte[] b -> 1;
        case String s -> 2;
        case ByteBuffer b -> 3;
        case Long l -> 4;
        case Integer i -> 5;
        case Short s -> 6;
        case Byte b -> 7;
        case Character c -> 8;
        case Boolean b -> 9;
        case Float f -> 10;
        case Double d -> 11;
        default -> 0;
      };
    }

    @Override
    @SuppressWarnings("unchecked")
    public Encoding encode(T value) {
      Objects.requireNonNull(value, "value");
      byte tag = (byte) tagOf(value);
      Encoding inner = ((Codec<Object>) byTag[tag]).encode(value);
      return new Encoding() {
        @Override
        public long byteSize() {
          return 1 + inner.byteSize();
        }

        @Override
        public void writeTo(MemorySegment target) {
          target.set(ValueLayout.JAVA_BYTE, 0, tag);
          inner.writeTo(target.asSlice(1));
        }
      };
    }

    @Override
    @SuppressWarnings("unchecked")
    public T decode(MemorySegment bytes) {
      if (bytes.byteSize() < 1) {
        throw new CodecException("an empty value has no type tag");
      }
      int tag = bytes.get(ValueLayout.JAVA_BYTE, 0);
      if (tag < 0 || tag >= byTag.length) {
        throw new CodecException("unknown type tag " + tag);
      }
      return (T) byTag[tag].decode(bytes.asSlice(1));
    }
  }

  /**
   * {@return a heap copy of the bytes} The array overload of {@link MemorySegment#copy} goes straight
   * to a bulk copy, where {@link MemorySegment#toArray} wraps the array in a heap segment first.
   */
  private static byte[] copyOut(MemorySegment bytes) {
    long size = bytes.byteSize();
    if (size > Integer.MAX_VALUE - 8) {
      throw new CodecException("a value of " + size + " bytes does not fit in a Java array");
    }
    byte[] copy = new byte[(int) size];
    MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, 0, copy, 0, copy.length);
    return copy;
  }

  private record HeapEncoding(byte[] bytes, int offset, int length) implements Codec.Encoding {
    @Override
    public long byteSize() {
      return length;
    }

    @Override
    public void writeTo(MemorySegment target) {
      MemorySegment.copy(bytes, offset, target, ValueLayout.JAVA_BYTE, 0, length);
    }
  }

  private enum BytesCodec implements Codec<byte[]> {
    INSTANCE;

    @Override
    public Encoding encode(byte[] value) {
      return new HeapEncoding(value, 0, value.length);
    }

    @Override
    public byte[] decode(MemorySegment bytes) {
      return copyOut(bytes);
    }

    @Override
    public byte[] decodeCopy(byte[] bytes) {
      return bytes;
    }
  }

  private enum ByteBufferCodec implements Codec<ByteBuffer> {
    INSTANCE;

    @Override
    public Encoding encode(ByteBuffer value) {
      ByteBuffer source = value.duplicate();
      return new Encoding() {
        @Override
        public long byteSize() {
          return source.remaining();
        }

        @Override
        public void writeTo(MemorySegment target) {
          target.copyFrom(MemorySegment.ofBuffer(source));
        }
      };
    }

    @Override
    public ByteBuffer decode(MemorySegment bytes) {
      return ByteBuffer.wrap(copyOut(bytes));
    }
  }

  private enum StringCodec implements Codec<String> {
    INSTANCE;

    @Override
    public Encoding encode(String value) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      return new HeapEncoding(utf8, 0, utf8.length);
    }

    @Override
    public String decode(MemorySegment bytes) {
      return new String(copyOut(bytes), StandardCharsets.UTF_8);
    }
  }

  /** Fixed-size boxed primitives. */
  private static final class FixedCodec<T> implements Codec<T> {
    interface Writer<T> {
      void write(MemorySegment target, T value);
    }

    interface Reader<T> {
      T read(MemorySegment source);
    }

    static final FixedCodec<Long> LONG =
        new FixedCodec<>(8, (s, v) -> s.set(Codecs.LONG, 0, v), s -> s.get(Codecs.LONG, 0));
    static final FixedCodec<Integer> INT =
        new FixedCodec<>(4, (s, v) -> s.set(Codecs.INT, 0, v), s -> s.get(Codecs.INT, 0));
    static final FixedCodec<Short> SHORT =
        new FixedCodec<>(2, (s, v) -> s.set(Codecs.SHORT, 0, v), s -> s.get(Codecs.SHORT, 0));
    static final FixedCodec<Byte> BYTE =
        new FixedCodec<>(
            1, (s, v) -> s.set(ValueLayout.JAVA_BYTE, 0, v), s -> s.get(ValueLayout.JAVA_BYTE, 0));
    static final FixedCodec<Character> CHAR =
        new FixedCodec<>(2, (s, v) -> s.set(Codecs.CHAR, 0, v), s -> s.get(Codecs.CHAR, 0));
    static final FixedCodec<Boolean> BOOLEAN =
        new FixedCodec<>(
            1,
            (s, v) -> s.set(ValueLayout.JAVA_BYTE, 0, (byte) (v ? 1 : 0)),
            s -> booleanOf(s.get(ValueLayout.JAVA_BYTE, 0)));
    static final FixedCodec<Float> FLOAT =
        new FixedCodec<>(4, (s, v) -> s.set(Codecs.FLOAT, 0, v), s -> s.get(Codecs.FLOAT, 0));
    static final FixedCodec<Double> DOUBLE =
        new FixedCodec<>(8, (s, v) -> s.set(Codecs.DOUBLE, 0, v), s -> s.get(Codecs.DOUBLE, 0));

    private final int size;
    private final Writer<T> writer;
    private final Reader<T> reader;

    private FixedCodec(int size, Writer<T> writer, Reader<T> reader) {
      this.size = size;
      this.writer = writer;
      this.reader = reader;
    }

    static FixedCodec<?> forBoxedType(Class<?> type) {
      if (type == Long.class) return LONG;
      if (type == Integer.class) return INT;
      if (type == Short.class) return SHORT;
      if (type == Byte.class) return BYTE;
      if (type == Character.class) return CHAR;
      if (type == Boolean.class) return BOOLEAN;
      if (type == Float.class) return FLOAT;
      if (type == Double.class) return DOUBLE;
      return null;
    }

    private static Boolean booleanOf(byte b) {
      if (b != 0 && b != 1) {
        throw new CodecException("not a boolean: byte " + b);
      }
      return b == 1;
    }

    @Override
    public Encoding encode(T value) {
      Objects.requireNonNull(value, "value");
      return new Encoding() {
        @Override
        public long byteSize() {
          return size;
        }

        @Override
        public void writeTo(MemorySegment target) {
          writer.write(target, value);
        }
      };
    }

    @Override
    public T decode(MemorySegment bytes) {
      if (bytes.byteSize() != size) {
        throw new CodecException(
            "expected " + size + " bytes, found " + bytes.byteSize());
      }
      return reader.read(bytes);
    }
  }

  private static final class SerializingCodec<T> implements Codec<T> {
    private final ClassLoader classLoader;

    SerializingCodec(ClassLoader classLoader) {
      this.classLoader = classLoader;
    }

    @Override
    public Encoding encode(T value) {
      Objects.requireNonNull(value, "value");
      if (!(value instanceof Serializable)) {
        throw new CodecException(
            "cannot serialize a " + value.getClass().getName() + ": it is not Serializable");
      }
      var out = new ExposedByteArrayOutputStream();
      try (var objects = new ObjectOutputStream(out)) {
        objects.writeObject(value);
      } catch (IOException | RuntimeException e) {
        throw new CodecException("cannot serialize a " + value.getClass().getName(), e);
      }
      return new HeapEncoding(out.buffer(), 0, out.size());
    }

    @Override
    @SuppressWarnings("unchecked")
    public T decode(MemorySegment bytes) {
      ClassLoader loader =
          classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
      try (var in = new LoaderObjectInputStream(new SegmentInputStream(bytes), loader)) {
        return (T) in.readObject();
      } catch (IOException | ClassNotFoundException | RuntimeException e) {
        throw new CodecException("cannot deserialize a value of " + bytes.byteSize() + " bytes", e);
      }
    }
  }

  private static final class ExposedByteArrayOutputStream extends ByteArrayOutputStream {
    ExposedByteArrayOutputStream() {
      super(256);
    }

    byte[] buffer() {
      return buf;
    }
  }

  /** Reads a segment without copying it first. */
  private static final class SegmentInputStream extends InputStream {
    private final MemorySegment bytes;
    private long position;

    SegmentInputStream(MemorySegment bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return position < bytes.byteSize() ? bytes.get(ValueLayout.JAVA_BYTE, position++) & 0xFF : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, target.length);
      if (length == 0) {
        return 0;
      }
      long left = bytes.byteSize() - position;
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(left, length);
      MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, position, target, offset, n);
      position += n;
      return n;
    }
  }

  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      if (loader == null) {
        return super.resolveClass(desc);
      }
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }
}
