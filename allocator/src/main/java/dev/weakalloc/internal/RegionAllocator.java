package dev.weakalloc.internal;

import static dev.weakalloc.internal.BlockLayout.HEADER;
import static dev.weakalloc.internal.BlockLayout.MIN_BLOCK;
import static dev.weakalloc.internal.BlockLayout.NONE;

import dev.weakalloc.MemoryAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The default inner allocator: one bounded region, handed out by a two-level segregated-fit (TLSF)
 * allocator.
 *
 * <h2>Implementation notes</h2>
 * <b>Memory.</b> The region is a list of chunks of {@code chunkSize} bytes (the last one may be
 * smaller), allocated from one shared {@link Arena} only when no free block fits: RSS grows with
 * the data, never past the capacity, and all of it is returned by {@link #close()}. One huge
 * up-front allocation would zero and commit the whole capacity at creation.
 *
 * <p><b>Giving memory back.</b> The arena takes each chunk from {@code malloc} and zeroes all of
 * it, so a committed chunk is resident whole; close frees it. Whether a free reaches the operating
 * system is glibc's choice: a request at or above its mmap threshold (128 KiB at first) gets a
 * mapping of its own, unmapped by free, but freeing such a mapping raises the threshold to its
 * size (the dynamic threshold), up to 32 MiB on 64-bit ({@code DEFAULT_MMAP_THRESHOLD_MAX}), and
 * later requests under the threshold come from {@code malloc}'s heap, which keeps them after free.
 * A {@linkplain #DEFAULT_CHUNK_SIZE default} chunk asks for 32 MiB and its header room, over that
 * ceiling: it is always mapped, never raises the threshold, and goes back to the system on close
 * in any process. A shorter chunk (a region under 32 MiB, the last chunk of a capacity that is not
 * a multiple of 32 MiB, any chunk of a smaller {@code chunkSize}) is mapped only while the
 * threshold is below its size, and may stay in the process after close, reused by later
 * allocations. Rounding such a chunk's request up to 32 MiB would map it, but the arena zeroes
 * what it allocates, so the rounding would be resident: it is not done.
 *
 * <p><b>Header room.</b> Each chunk takes {@code chunkSize} bytes of the capacity plus 1/256 of
 * that for the blocks' 16-byte headers (one header per 4 KiB): so values whose size is a power of
 * two of 4 KiB or more, up to the chunk size, pack without losing a slot to their headers (a 32 MiB
 * chunk holds eight values of 4 MiB). The capacity counts the values' bytes; the header room is
 * bookkeeping beside it: a full region commits at most {@code capacity + capacity / 256} bytes
 * (plus 16 per chunk for rounding).
 *
 * <p><b>Blocks.</b> See {@link BlockLayout}. Blocks never cross chunks, and the largest payload is
 * a chunk's share of the capacity, which its header room leaves room to hold with its header. Freeing coalesces a block with free neighbours at once, so two free
 * blocks are never adjacent.
 *
 * <p><b>Free lists.</b> Free blocks sit in doubly linked lists by size class: the first level is
 * the power of two of the size in 16-byte units, the second splits it in {@link #SL_COUNT} ranges.
 * Two bitmaps find the smallest non-empty class that surely fits in O(1) ("good fit"); the request
 * is rounded up to the next class boundary, so the chosen block is at most 1/16 larger than needed
 * before splitting.
 *
 * <p><b>Concurrency.</b> Not thread-safe: the owning {@code WeakAlloc} calls it under its lock,
 * except {@link #segment}, {@link #read} and {@link #blockSize}, which it calls from any thread.
 * Writes through a {@code segment} view happen outside the lock, on a block the writer has pinned;
 * {@code read} copies a payload outside the lock, pinned or (chunks staying mapped until close) on a
 * block that may be freed meanwhile, whose copy the owner then validates and may discard.
 *
 * <p>References: M. Masmano et al., "TLSF: a New Dynamic Memory Allocator for Real-Time Systems",
 * ECRTS 2004.
 */
public final class RegionAllocator implements MemoryAllocator, Neighbourhood {
  /**
   * The default chunk: 32 MiB of the capacity (plus its {@linkplain #headerRoom header room}), and
   * so the largest value. With its header room a chunk asks {@code malloc} for more than 32 MiB,
   * which glibc always maps on its own and unmaps on free (see "Giving memory back" above).
   */
  public static final long DEFAULT_CHUNK_SIZE = 32L << 20;

  static final long MIN_CHUNK_SIZE = 64L << 10;
  static final long MAX_CHUNK_SIZE = 1L << 30;

  private static final int SL_BITS = 4;
  private static final int SL_COUNT = 1 << SL_BITS;
  private static final int FL_COUNT = 28;
  /** How many blocks of its own size class a request looks at when good fit finds none. */
  private static final int OWN_CLASS_SCAN = 8;

  private final Arena arena = Arena.ofShared();
  private final long capacity;
  private final long chunkSize;
  private final int chunkCount;
  /**
   * The committed chunks; grows with them, so a huge capacity costs no heap until it is used. A
   * grown table is published with a release store and read by {@link #segment} and {@link #read}
   * (called without the owner's lock) with an acquire load, so it is never seen half copied.
   */
  private MemorySegment[] chunks;
  private static final VarHandle CHUNKS;

  static {
    try {
      CHUNKS = MethodHandles.lookup().findVarHandle(RegionAllocator.class, "chunks", MemorySegment[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
  private int committedChunks;
  private long committedBytes;
  private long allocatedBytes;
  private long lastFreedSpan = NONE;
  private boolean closed;

  private int flBitmap;
  private final int[] slBitmaps = new int[FL_COUNT];
  private final long[] freeHeads = new long[FL_COUNT * SL_COUNT];

  /**
   * Creates a region; nothing is committed until the first allocation.
   *
   * @throws IllegalArgumentException if capacity is under 64 KiB or chunkSize is not a power of two
   *     from 64 KiB to 1 GiB
   */
  public RegionAllocator(long capacity, long chunkSize) {
    if (Long.bitCount(chunkSize) != 1 || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "chunkSize must be a power of two from 64 KiB to 1 GiB, was " + chunkSize);
    }
    if (capacity < MIN_CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "region capacity must be at least 65536 bytes (64 KiB), was " + capacity);
    }
    long fullChunks = capacity / chunkSize;
    long rest = (capacity % chunkSize) & -BlockLayout.ALIGNMENT;
    long count = fullChunks + (rest >= MIN_CHUNK_SIZE ? 1 : 0);
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("capacity " + capacity + " needs too many chunks of " + chunkSize);
    }
    this.chunkSize = chunkSize;
    this.chunkCount = (int) count;
    this.capacity = fullChunks * chunkSize + (rest >= MIN_CHUNK_SIZE ? rest : 0);
    this.chunks = new MemorySegment[Math.min(chunkCount, 16)];
    Arrays.fill(freeHeads, NONE);
  }

  @Override
  public long allocate(long byteSize) {
    long size = BlockLayout.blockSize(byteSize);
    if (byteSize < 0 || byteSize > maxAllocation()) {
      return NO_ROOM;
    }
    long block = findFree(size);
    while (block == NONE && committedChunks < chunkCount) {
      commitChunk();
      block = findFree(size);
    }
    if (block == NONE) {
      return NO_ROOM;
    }
    removeFree(block);
    return useBlock(block, (int) size);
  }

  /** Frees a block; after {@link #close()}, which released every chunk, it does nothing. */
  @Override
  public void free(long address) {
    if (closed) {
      return;
    }
    MemorySegment chunk = chunks[BlockLayout.chunkOf(address)];
    int offset = BlockLayout.offsetOf(address);
    int size = BlockLayout.size(chunk, offset);
    allocatedBytes -= size;
    int next = offset + size;
    if (next < chunk.byteSize() && BlockLayout.isFree(chunk, next)) {
      removeFree(address + size);
      size += BlockLayout.size(chunk, next);
    }
    int prevSize = BlockLayout.prevSize(chunk, offset);
    if (prevSize > 0 && BlockLayout.isFree(chunk, offset - prevSize)) {
      removeFree(address - prevSize);
      offset -= prevSize;
      size += prevSize;
    }
    long span = BlockLayout.address(BlockLayout.chunkOf(address), offset);
    insertFree(span, size);
    lastFreedSpan = span;
  }

  @Override
  public MemorySegment segment(long address, long byteSize) {
    MemorySegment[] table = (MemorySegment[]) CHUNKS.getAcquire(this);
    return table[BlockLayout.chunkOf(address)].asSlice(BlockLayout.offsetOf(address) + HEADER, byteSize);
  }

  /** Copies straight from the chunk, so that a read makes no slice. */
  @Override
  public void read(long address, byte[] dst) {
    MemorySegment[] table = (MemorySegment[]) CHUNKS.getAcquire(this);
    MemorySegment.copy(
        table[BlockLayout.chunkOf(address)], ValueLayout.JAVA_BYTE, BlockLayout.offsetOf(address) + HEADER,
        dst, 0, dst.length);
  }

  /** {@return true: chunks stay mapped until the region closes} */
  @Override
  public boolean freedMemoryStaysMapped() {
    return true;
  }

  @Override
  public long blockSize(long byteSize) {
    return BlockLayout.blockSize(byteSize);
  }

  @Override
  public long maxAllocation() {
    return chunkLength(0);
  }

  @Override
  public long capacity() {
    return capacity;
  }

  @Override
  public long allocatedBytes() {
    return allocatedBytes;
  }

  @Override
  public long committedBytes() {
    return committedBytes;
  }

  /** {@return the native addresses of the committed chunks, for tests that inspect RSS} */
  long[] committedChunkAddresses() {
    long[] addresses = new long[committedChunks];
    for (int i = 0; i < committedChunks; i++) {
      addresses[i] = chunks[i].address();
    }
    return addresses;
  }

  /**
   * {@return the most this region commits: its capacity, and every chunk's {@linkplain #headerRoom
   * header room}}
   */
  public long maxCommittedBytes() {
    long total = 0;
    for (int i = 0; i < chunkCount; i++) {
      total += chunkBytes(i);
    }
    return total;
  }

  /** {@return the unit in which memory is committed} */
  public long chunkSize() {
    return chunkSize;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      arena.close();
      committedBytes = 0; // the memory went back with the arena: nothing is committed any more
      allocatedBytes = 0;
    }
  }

  // --- Neighbourhood ---

  @Override
  public void setOwner(long address, int owner) {
    BlockLayout.setOwner(chunks[BlockLayout.chunkOf(address)], BlockLayout.offsetOf(address), owner);
  }

  @Override
  public int owner(long address) {
    return BlockLayout.owner(chunks[BlockLayout.chunkOf(address)], BlockLayout.offsetOf(address));
  }

  @Override
  public long lastFreedSpan() {
    return lastFreedSpan;
  }

  @Override
  public boolean fits(long span, long byteSize) {
    return sizeAt(span) >= BlockLayout.blockSize(byteSize);
  }

  @Override
  public long blockBefore(long block) {
    int prevSize = BlockLayout.prevSize(chunks[BlockLayout.chunkOf(block)], BlockLayout.offsetOf(block));
    return prevSize == 0 ? NONE : block - prevSize;
  }

  @Override
  public long blockAfter(long block) {
    MemorySegment chunk = chunks[BlockLayout.chunkOf(block)];
    long next = BlockLayout.offsetOf(block) + (long) sizeAt(block);
    return next < chunk.byteSize() ? block + sizeAt(block) : NONE;
  }

  @Override
  public boolean isFree(long block) {
    return BlockLayout.isFree(chunks[BlockLayout.chunkOf(block)], BlockLayout.offsetOf(block));
  }

  @Override
  public long blockBytes(long block) {
    return sizeAt(block);
  }

  @Override
  public long allocateIn(long span, long byteSize) {
    long size = BlockLayout.blockSize(byteSize);
    if (sizeAt(span) < size) {
      throw new IllegalArgumentException("span of " + sizeAt(span) + " bytes cannot hold " + size);
    }
    removeFree(span);
    return useBlock(span, (int) size);
  }

  // --- blocks ---

  private int sizeAt(long address) {
    return BlockLayout.size(chunks[BlockLayout.chunkOf(address)], BlockLayout.offsetOf(address));
  }

  private long chunkLength(int index) {
    return index < chunkCount - 1 || capacity % chunkSize == 0 ? Math.min(chunkSize, capacity) : capacity % chunkSize;
  }

  /**
   * {@return the room for block headers a chunk of {@code length} bytes of capacity gets beyond
   * them: 1/256, one 16-byte header per 4 KiB, rounded up to the alignment}
   */
  public static long headerRoom(long length) {
    return (length / 256 + BlockLayout.ALIGNMENT - 1) & -BlockLayout.ALIGNMENT;
  }

  /** {@return the bytes chunk {@code index} really takes: its share of the capacity and its header room} */
  private long chunkBytes(int index) {
    long length = chunkLength(index);
    return length + headerRoom(length);
  }

  private void commitChunk() {
    int index = committedChunks;
    long length = chunkBytes(index);
    MemorySegment[] table =
        index == chunks.length ? Arrays.copyOf(chunks, (int) Math.min(chunkCount, 2L * chunks.length)) : chunks;
    table[index] = arena.allocate(length, BlockLayout.ALIGNMENT);
    CHUNKS.setRelease(this, table); // whole before it is seen
    committedChunks++;
    committedBytes += length;
    long address = BlockLayout.address(index, 0);
    BlockLayout.setPrevSize(chunks[index], 0, 0);
    insertFree(address, (int) length);
  }

  /** Marks a free block (already off its list) used, splitting off the rest when big enough. */
  private long useBlock(long block, int size) {
    MemorySegment chunk = chunks[BlockLayout.chunkOf(block)];
    int offset = BlockLayout.offsetOf(block);
    int total = BlockLayout.size(chunk, offset);
    int rest = total - size;
    if (rest >= MIN_BLOCK) {
      insertFree(block + size, rest);
      BlockLayout.setPrevSize(chunk, offset + size, size);
    } else {
      size = total;
    }
    BlockLayout.setSize(chunk, offset, size, false);
    BlockLayout.setOwner(chunk, offset, -1);
    allocatedBytes += size;
    return block;
  }

  // --- free lists ---

  /** Puts a block on its free list, writing its header and the next block's prev size. */
  private void insertFree(long block, int size) {
    MemorySegment chunk = chunks[BlockLayout.chunkOf(block)];
    int offset = BlockLayout.offsetOf(block);
    BlockLayout.setSize(chunk, offset, size, true);
    if (offset + size < chunk.byteSize()) {
      BlockLayout.setPrevSize(chunk, offset + size, size);
    }
    int index = classOf(size >>> 4);
    long head = freeHeads[index];
    BlockLayout.setNextFree(chunk, offset, head);
    BlockLayout.setPrevFree(chunk, offset, NONE);
    if (head != NONE) {
      BlockLayout.setPrevFree(chunks[BlockLayout.chunkOf(head)], BlockLayout.offsetOf(head), block);
    }
    freeHeads[index] = block;
    flBitmap |= 1 << (index >>> SL_BITS);
    slBitmaps[index >>> SL_BITS] |= 1 << (index & (SL_COUNT - 1));
  }

  private void removeFree(long block) {
    MemorySegment chunk = chunks[BlockLayout.chunkOf(block)];
    int offset = BlockLayout.offsetOf(block);
    long next = BlockLayout.nextFree(chunk, offset);
    long prev = BlockLayout.prevFree(chunk, offset);
    if (next != NONE) {
      BlockLayout.setPrevFree(chunks[BlockLayout.chunkOf(next)], BlockLayout.offsetOf(next), prev);
    }
    if (prev != NONE) {
      BlockLayout.setNextFree(chunks[BlockLayout.chunkOf(prev)], BlockLayout.offsetOf(prev), next);
    } else {
      int index = classOf(BlockLayout.size(chunk, offset) >>> 4);
      freeHeads[index] = next;
      if (next == NONE) {
        int fl = index >>> SL_BITS;
        slBitmaps[fl] &= ~(1 << (index & (SL_COUNT - 1)));
        if (slBitmaps[fl] == 0) {
          flBitmap &= ~(1 << fl);
        }
      }
    }
    BlockLayout.setSize(chunk, offset, BlockLayout.size(chunk, offset), false);
  }

  /** {@return a free block of at least {@code size} bytes, or NONE} */
  private long findFree(long size) {
    long block = findGoodFit(size);
    return block != NONE ? block : findInOwnClass(size);
  }

  /**
   * Good fit skips the request's own size class, whose blocks may be too small; but one of them
   * may fit, and may be the only room there is: a chunk whose length is not a power of two (so the
   * largest value can fit nowhere else), a hole just the size of the request. Looks at the first
   * few blocks of that class.
   */
  private long findInOwnClass(long size) {
    int index = classOf(size >>> 4);
    long block = index >>> SL_BITS < FL_COUNT ? freeHeads[index] : NONE;
    for (int i = 0; i < OWN_CLASS_SCAN && block != NONE; i++) {
      if (sizeAt(block) >= size) {
        return block;
      }
      block = BlockLayout.nextFree(chunks[BlockLayout.chunkOf(block)], BlockLayout.offsetOf(block));
    }
    return NONE;
  }

  /** {@return a free block from the smallest class whose every block fits {@code size}, or NONE} */
  private long findGoodFit(long size) {
    long units = size >>> 4;
    int fl = 63 - Long.numberOfLeadingZeros(units);
    if (fl >= SL_BITS) {
      units += (1L << (fl - SL_BITS)) - 1; // round up to the next class: any block there fits
    }
    int index = classOf(units);
    fl = index >>> SL_BITS;
    if (fl >= FL_COUNT) {
      return NONE;
    }
    int slMap = slBitmaps[fl] & (-1 << (index & (SL_COUNT - 1)));
    if (slMap == 0) {
      int flMap = fl + 1 >= 32 ? 0 : flBitmap & (-1 << (fl + 1));
      if (flMap == 0) {
        return NONE;
      }
      fl = Integer.numberOfTrailingZeros(flMap);
      slMap = slBitmaps[fl];
    }
    return freeHeads[fl << SL_BITS | Integer.numberOfTrailingZeros(slMap)];
  }

  /** {@return the size class of a size in 16-byte units: first level times 16 plus second level} */
  private static int classOf(long units) {
    int fl = 63 - Long.numberOfLeadingZeros(units);
    int sl = fl < SL_BITS ? (int) (units - (1L << fl)) : (int) (units >>> (fl - SL_BITS)) & (SL_COUNT - 1);
    return fl << SL_BITS | sl;
  }

  @Override
  public String toString() {
    return "RegionAllocator[capacity=" + capacity + ", chunkSize=" + chunkSize + ", committed="
        + committedBytes + ", allocated=" + allocatedBytes + "]";
  }
}
