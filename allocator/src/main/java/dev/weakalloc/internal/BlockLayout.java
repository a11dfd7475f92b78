package dev.weakalloc.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The layout of a block in a {@link RegionAllocator} chunk. Every block starts with a 16-byte
 * header; sizes are multiples of 16 and include the header.
 *
 * <pre>
 * allocated block
 *   0        4           8                 16
 *   +--------+-----------+-----------------+----------------------------------+
 *   | size   | prev size | owner  | (pad)  | payload ...                      |
 *   +--------+-----------+-----------------+----------------------------------+
 * free block
 *   0        4           8                 16                24
 *   +--------+-----------+-----------------+-----------------+----------------+
 *   | size|F | prev size | next free       | previous free   | (unused) ...   |
 *   +--------+-----------+-----------------+-----------------+----------------+
 *
 *   size       int: block size in bytes, header included; bit 0 (F) is set on free blocks
 *   prev size  int: size of the block just before in the chunk, 0 for the chunk's first block
 *   owner      int: an id its allocator's user attaches to an allocated block
 *   next free, previous free: long addresses in the free list of the block's size class, or -1
 * </pre>
 *
 * A block address is {@code chunkIndex << 32 | offsetInChunk}. Two free blocks are never
 * neighbours: freeing coalesces them.
 */
final class BlockLayout {
  private BlockLayout() {}

  static final int HEADER = 16;
  static final int ALIGNMENT = 16;
  static final int MIN_BLOCK = 32;

  static final long SIZE_OFFSET = 0;
  static final long PREV_SIZE_OFFSET = 4;
  static final long OWNER_OFFSET = 8;
  static final long NEXT_FREE_OFFSET = 8;
  static final long PREV_FREE_OFFSET = 16;

  static final int FREE_BIT = 1;
  static final long NONE = -1L;

  static long address(int chunk, int offset) {
    return (long) chunk << 32 | offset;
  }

  static int chunkOf(long address) {
    return (int) (address >>> 32);
  }

  static int offsetOf(long address) {
    return (int) address;
  }

  /** {@return the block size for a payload of {@code byteSize} bytes} */
  static long blockSize(long byteSize) {
    return Math.max(MIN_BLOCK, (byteSize + HEADER + ALIGNMENT - 1) & -ALIGNMENT);
  }

  static int size(MemorySegment chunk, int offset) {
    return chunk.get(ValueLayout.JAVA_INT, offset + SIZE_OFFSET) & ~FREE_BIT;
  }

  static boolean isFree(MemorySegment chunk, int offset) {
    return (chunk.get(ValueLayout.JAVA_INT, offset + SIZE_OFFSET) & FREE_BIT) != 0;
  }

  static void setSize(MemorySegment chunk, int offset, int size, boolean free) {
    chunk.set(ValueLayout.JAVA_INT, offset + SIZE_OFFSET, free ? size | FREE_BIT : size);
  }

  static int prevSize(MemorySegment chunk, int offset) {
    return chunk.get(ValueLayout.JAVA_INT, offset + PREV_SIZE_OFFSET);
  }

  static void setPrevSize(MemorySegment chunk, int offset, int prevSize) {
    chunk.set(ValueLayout.JAVA_INT, offset + PREV_SIZE_OFFSET, prevSize);
  }

  static int owner(MemorySegment chunk, int offset) {
    return chunk.get(ValueLayout.JAVA_INT, offset + OWNER_OFFSET);
  }

  static void setOwner(MemorySegment chunk, int offset, int owner) {
    chunk.set(ValueLayout.JAVA_INT, offset + OWNER_OFFSET, owner);
  }

  static long nextFree(MemorySegment chunk, int offset) {
    return chunk.get(ValueLayout.JAVA_LONG, offset + NEXT_FREE_OFFSET);
  }

  static void setNextFree(MemorySegment chunk, int offset, long next) {
    chunk.set(ValueLayout.JAVA_LONG, offset + NEXT_FREE_OFFSET, next);
  }

  static long prevFree(MemorySegment chunk, int offset) {
    return chunk.get(ValueLayout.JAVA_LONG, offset + PREV_FREE_OFFSET);
  }

  static void setPrevFree(MemorySegment chunk, int offset, long prev) {
    chunk.set(ValueLayout.JAVA_LONG, offset + PREV_FREE_OFFSET, prev);
  }
}
