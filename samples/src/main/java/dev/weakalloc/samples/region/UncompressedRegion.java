package dev.weakalloc.samples.region;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The layout of a decompressed region file, the value the region caches hold: an index of the
 * 1024 chunks, then their decompressed NBT payloads back to back, in index order.
 *
 * <pre>
 *  0                       8192
 * +-----------------------+------------------+------------------+-----
 * | index: 1024 entries   | payload of the   | payload of the   | ...
 * | of 8 bytes            | first chunk      | next chunk       |
 * +-----------------------+------------------+------------------+-----
 *
 * index entry i (big-endian), for the chunk at local x = i % 32, z = i / 32:
 * +------------------+------------------+
 * | offset int32     | length int32     |   offset from the start of the value;
 * +------------------+------------------+   offset 0 and length 0: chunk absent
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
public final class UncompressedRegion {
  /** Bytes of one index entry. */
  public static final int ENTRY_BYTES = 8;
  /** Bytes of the index, where the first payload starts. */
  public static final int INDEX_BYTES = AnvilLayout.CHUNKS * ENTRY_BYTES;

  private UncompressedRegion() {}

  /**
   * {@return the chunks packed in this layout}
   *
   * @param chunks 1024 decompressed payloads, null for an absent chunk
   * @throws IllegalArgumentException if there are not 1024 chunks, or they exceed 2 GiB
   */
  public static byte[] pack(byte[][] chunks) {
    if (chunks.length != AnvilLayout.CHUNKS) {
      throw new IllegalArgumentException("expected 1024 chunks, got " + chunks.length);
    }
    long total = INDEX_BYTES;
    for (byte[] chunk : chunks) {
      total += chunk == null ? 0 : chunk.length;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a region of " + total + " bytes does not fit an array");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total);
    int offset = INDEX_BYTES;
    for (byte[] chunk : chunks) {
      int length = chunk == null ? 0 : chunk.length;
      out.putInt(length == 0 ? 0 : offset).putInt(length);
      offset += length;
    }
    for (byte[] chunk : chunks) {
      if (chunk != null) {
        out.put(chunk);
      }
    }
    return out.array();
  }

  /**
   * {@return the decompressed payload of chunk {@code index}, a fresh array, or null if absent}
   *
   * @throws IndexOutOfBoundsException if index is not in [0, 1024), or the value is not in this
   *     layout
   */
  public static byte[] chunk(ByteSource region, int index) {
    Objects.checkIndex(index, AnvilLayout.CHUNKS);
    byte[] entry = new byte[ENTRY_BYTES];
    region.copyTo((long) index * ENTRY_BYTES, entry, 0, ENTRY_BYTES);
    ByteBuffer fields = ByteBuffer.wrap(entry);
    int offset = fields.getInt();
    int length = fields.getInt();
    if (length == 0) {
      return null;
    }
    Objects.checkFromIndexSize(offset, length, region.size());
    byte[] payload = new byte[length];
    region.copyTo(offset, payload, 0, length);
    return payload;
  }

  /** {@return {@link #chunk(ByteSource, int)} over a heap array} */
  public static byte[] chunk(byte[] region, int index) {
    return chunk(ByteSource.of(region), index);
  }
}
