package dev.weakalloc.samples.region;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Writes Minecraft's NBT binary format (big-endian, strings in modified UTF-8) as a stream of tags:
 * the root compound, named tags inside compounds, unnamed elements inside lists.
 *
 * {@snippet :
 * byte[] nbt = new NbtWriter()
 *     .beginCompound("")              // the root
 *     .putInt("DataVersion", 3953)
 *     .beginList("palette", NbtWriter.STRING, 1).putString(null, "minecraft:plains")
 *     .endCompound()
 *     .toByteArray();
 * }
 *
 * <p>A name is written only where a tag sits in a compound; inside a list, pass null. The writer
 * does not check that a list gets the elements it announced.
 *
 * <p>Not thread-safe: one writer per payload.
 */
public final class NbtWriter {
  /** Tag type: end of a compound. */
  public static final byte END = 0;
  /** Tag type: signed byte. */
  public static final byte BYTE = 1;
  /** Tag type: short. */
  public static final byte SHORT = 2;
  /** Tag type: int. */
  public static final byte INT = 3;
  /** Tag type: long. */
  public static final byte LONG = 4;
  /** Tag type: float. */
  public static final byte FLOAT = 5;
  /** Tag type: double. */
  public static final byte DOUBLE = 6;
  /** Tag type: int length, then bytes. */
  public static final byte BYTE_ARRAY = 7;
  /** Tag type: unsigned short length, then modified UTF-8. */
  public static final byte STRING = 8;
  /** Tag type: element type, int length, then unnamed payloads. */
  public static final byte LIST = 9;
  /** Tag type: named tags up to an {@link #END}. */
  public static final byte COMPOUND = 10;
  /** Tag type: int length, then ints. */
  public static final byte INT_ARRAY = 11;
  /** Tag type: int length, then longs. */
  public static final byte LONG_ARRAY = 12;

  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] buffer = new byte[16 << 10];
  private int size;
  private int openCompounds;

  /** {@return the bytes written so far} */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  /** Opens a compound, named in a compound, unnamed (null) in a list. */
  public NbtWriter beginCompound(String name) {
    header(COMPOUND, name);
    openCompounds++;
    return this;
  }

  /**
   * Closes the innermost compound.
   *
   * @throws IllegalStateException if no compound is open
   */
  public NbtWriter endCompound() {
    if (openCompounds == 0) {
      throw new IllegalStateException("no open compound");
    }
    openCompounds--;
    write(END);
    return this;
  }

  /** Opens a list of {@code size} elements of type {@code elementType}; write them next. */
  public NbtWriter beginList(String name, byte elementType, int size) {
    header(LIST, name);
    write(elementType);
    writeInt(size);
    return this;
  }

  /** Writes a byte tag. */
  public NbtWriter putByte(String name, byte value) {
    header(BYTE, name);
    write(value);
    return this;
  }

  /** Writes an int tag. */
  public NbtWriter putInt(String name, int value) {
    header(INT, name);
    writeInt(value);
    return this;
  }

  /** Writes a long tag. */
  public NbtWriter putLong(String name, long value) {
    header(LONG, name);
    writeLong(value);
    return this;
  }

  /**
   * Writes a string tag.
   *
   * @throws IllegalArgumentException if its modified UTF-8 takes more than 65535 bytes
   */
  public NbtWriter putString(String name, String value) {
    header(STRING, name);
    writeUtf(value);
    return this;
  }

  /** Writes a byte array tag. */
  public NbtWriter putByteArray(String name, byte[] value) {
    header(BYTE_ARRAY, name);
    writeInt(value.length);
    writeBytes(value);
    return this;
  }

  /** Writes a long array tag. */
  public NbtWriter putLongArray(String name, long[] value) {
    header(LONG_ARRAY, name);
    writeInt(value.length);
    for (long v : value) {
      writeLong(v);
    }
    return this;
  }

  private void header(byte type, String name) {
    if (name != null) {
      write(type);
      writeUtf(name);
    }
  }

  private void write(int b) {
    ensure(1);
    buffer[size++] = (byte) b;
  }

  private void writeBytes(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  private void writeInt(int v) {
    ensure(4);
    INT_BE.set(buffer, size, v);
    size += 4;
  }

  private void writeLong(long v) {
    ensure(8);
    LONG_BE.set(buffer, size, v);
    size += 8;
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }

  /** Java's modified UTF-8, as {@link java.io.DataOutput#writeUTF} writes it. */
  private void writeUtf(String s) {
    var utf = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != 0 && c < 0x80) {
        utf.write(c);
      } else if (c < 0x800) {
        utf.write(0xC0 | c >> 6);
        utf.write(0x80 | c & 0x3F);
      } else {
        utf.write(0xE0 | c >> 12);
        utf.write(0x80 | c >> 6 & 0x3F);
        utf.write(0x80 | c & 0x3F);
      }
    }
    if (utf.size() > 0xFFFF) {
      throw new IllegalArgumentException("string of " + utf.size() + " bytes exceeds 65535");
    }
    write(utf.size() >>> 8);
    write(utf.size());
    writeBytes(utf.toByteArray());
  }
}
