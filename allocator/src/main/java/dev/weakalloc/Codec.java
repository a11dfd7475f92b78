package dev.weakalloc;

import java.lang.foreign.MemorySegment;

/**
 * Turns a value into bytes in a {@link WeakAlloc} block and back. {@link Codecs} holds the built-in
 * ones; implement this interface for any other type.
 *
 * <p>Encoding happens in two steps so that a failure allocates nothing: {@link #encode} checks the
 * value and says how many bytes it needs (it may do all the work, as Java serialization must), and
 * only then is a block allocated and {@link Encoding#writeTo} called.
 *
 * <h2>Thread safety</h2>
 * Implementations must be thread-safe: any thread may encode or decode at any time.
 *
 * <h2>Memory ownership</h2>
 * The segments passed to {@link Encoding#writeTo} and {@link #decode} belong to the allocator and
 * are valid only during the call: an implementation must not keep them.
 *
 * @param <T> the type of values
 */
public interface Codec<T> {

  /**
   * Prepares a value for writing.
   *
   * @throws CodecException if the value cannot be encoded
   * @throws NullPointerException if value is null
   */
  Encoding encode(T value);

  /**
   * Reads a value back.
   *
   * @param bytes a read-only segment holding exactly what {@link Encoding#writeTo} wrote
   * @throws CodecException if the bytes cannot be decoded
   */
  T decode(MemorySegment bytes);

  /**
   * Reads a value back from a heap copy of its bytes, which the caller hands over: the codec may
   * keep the array, or return it as the value. A {@link WeakAlloc} whose memory stays mapped reads
   * a value by copying its bytes to the heap and validating the copy (see {@link
   * WeakRef#getIfPresent()}), then decodes the copy with this method.
   *
   * <p>By default it decodes {@code MemorySegment.ofArray(bytes)} with {@link #decode}. A codec for
   * {@code byte[]} returns the array itself, so that the copy is the only one.
   *
   * @param bytes exactly what {@link Encoding#writeTo} wrote, now the codec's
   * @throws CodecException if the bytes cannot be decoded
   */
  default T decodeCopy(byte[] bytes) {
    return decode(MemorySegment.ofArray(bytes).asReadOnly());
  }

  /** A value ready to be written: its exact size, and how to write it. */
  interface Encoding {
    /** {@return the number of bytes {@link #writeTo} writes} */
    long byteSize();

    /**
     * Writes the value.
     *
     * @param target a segment of exactly {@link #byteSize()} bytes
     */
    void writeTo(MemorySegment target);
  }
}
