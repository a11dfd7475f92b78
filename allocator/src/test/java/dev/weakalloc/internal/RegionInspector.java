package dev.weakalloc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Set;

/**
 * Test-only view into a {@link RegionAllocator}'s chunks (through reflection, within the module):
 * the real size of a block, and a check of every structural invariant of the region.
 */
public final class RegionInspector {
  private static final Method CLASS_OF;
  private static final Field CHUNKS;
  private static final Field COMMITTED_CHUNKS;
  private static final Field FREE_HEADS;
  private static final Field FL_BITMAP;
  private static final Field SL_BITMAPS;

  static {
    try {
      CLASS_OF = RegionAllocator.class.getDeclaredMethod("classOf", long.class);
      CLASS_OF.setAccessible(true);
      CHUNKS = field("chunks");
      COMMITTED_CHUNKS = field("committedChunks");
      FREE_HEADS = field("freeHeads");
      FL_BITMAP = field("flBitmap");
      SL_BITMAPS = field("slBitmaps");
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e); // RegionAllocator changed: update this inspector
    }
  }

  private static Field field(String name) throws NoSuchFieldException {
    Field field = RegionAllocator.class.getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }

  private final RegionAllocator region;

  public RegionInspector(RegionAllocator region) {
    this.region = region;
  }

  /** {@return the bytes the block at {@code address} really takes, header included} */
  public long blockSizeAt(long address) {
    return BlockLayout.size(chunks()[BlockLayout.chunkOf(address)], BlockLayout.offsetOf(address));
  }

  /** One block of a region: where it starts, the bytes it takes (header included), whether free. */
  public record Block(long address, long size, boolean free) {
    /** {@return the address just past this block} */
    public long end() {
      return address + size;
    }
  }

  /** {@return every block of the committed chunks, chunk by chunk, in address order} */
  public java.util.List<Block> blocks() {
    MemorySegment[] chunks = chunks();
    int committed = (int) get(COMMITTED_CHUNKS);
    java.util.List<Block> blocks = new java.util.ArrayList<>();
    for (int c = 0; c < committed; c++) {
      for (int offset = 0; offset < chunks[c].byteSize(); offset += BlockLayout.size(chunks[c], offset)) {
        blocks.add(new Block(BlockLayout.address(c, offset), BlockLayout.size(chunks[c], offset),
            BlockLayout.isFree(chunks[c], offset)));
      }
    }
    return blocks;
  }

  /**
   * Checks the region's invariants: blocks tile each committed chunk, sizes and prev sizes agree,
   * no two free blocks are neighbours, the free lists hold exactly the free blocks, each in its
   * size class, with the bitmaps set for exactly the non-empty lists, and the byte counters agree.
   */
  public void checkInvariants() {
    MemorySegment[] chunks = chunks();
    int committed = (int) get(COMMITTED_CHUNKS);
    long allocated = 0;
    long committedBytes = 0;
    Set<Long> freeBlocks = new HashSet<>();
    for (int c = 0; c < committed; c++) {
      MemorySegment chunk = chunks[c];
      committedBytes += chunk.byteSize();
      int offset = 0;
      int prevSize = 0;
      boolean prevFree = false;
      while (offset < chunk.byteSize()) {
        int size = BlockLayout.size(chunk, offset);
        boolean free = BlockLayout.isFree(chunk, offset);
        check(size >= BlockLayout.MIN_BLOCK, "size %d at chunk %d offset %d", size, c, offset);
        check(size % BlockLayout.ALIGNMENT == 0, "unaligned size %d at chunk %d offset %d", size, c, offset);
        check(BlockLayout.prevSize(chunk, offset) == prevSize, "prev size %d, expected %d at chunk %d offset %d", BlockLayout.prevSize(chunk, offset), prevSize, c, offset);
        check(!(free && prevFree), "two free neighbours at chunk %d offset %d", c, offset);
        if (free) {
          freeBlocks.add(BlockLayout.address(c, offset));
        } else {
          allocated += size;
        }
        prevSize = size;
        prevFree = free;
        offset += size;
      }
      assertThat(offset).as("blocks tile chunk %d", c).isEqualTo(chunk.byteSize());
    }
    for (int c = committed; c < chunks.length; c++) {
      check(chunks[c] == null, "uncommitted chunk %d is set", c);
    }
    assertThat(region.allocatedBytes()).as("allocatedBytes").isEqualTo(allocated);
    assertThat(region.committedBytes()).as("committedBytes").isEqualTo(committedBytes);
    assertThat(committedBytes).isLessThanOrEqualTo(region.maxCommittedBytes());
    assertThat(listedFreeBlocks(chunks)).as("free lists").isEqualTo(freeBlocks);
  }

  private Set<Long> listedFreeBlocks(MemorySegment[] chunks) {
    long[] heads = (long[]) get(FREE_HEADS);
    int flBitmap = (int) get(FL_BITMAP);
    int[] slBitmaps = (int[]) get(SL_BITMAPS);
    Set<Long> listed = new HashSet<>();
    for (int index = 0; index < heads.length; index++) {
      int fl = index >>> 4;
      boolean slBit = (slBitmaps[fl] & (1 << (index & 15))) != 0;
      check(slBit == (heads[index] != BlockLayout.NONE), "second-level bit of class %d is %s", index, slBit);
      long prev = BlockLayout.NONE;
      for (long block = heads[index]; block != BlockLayout.NONE; ) {
        MemorySegment chunk = chunks[BlockLayout.chunkOf(block)];
        int offset = BlockLayout.offsetOf(block);
        check(BlockLayout.isFree(chunk, offset), "listed block %x is not free", block);
        check(classOf(BlockLayout.size(chunk, offset) >>> 4) == index, "block %x listed in class %d", block, index);
        check(BlockLayout.prevFree(chunk, offset) == prev, "prev link of %x", block);
        check(listed.add(block), "block %x listed twice", block);
        prev = block;
        block = BlockLayout.nextFree(chunk, offset);
      }
    }
    for (int fl = 0; fl < slBitmaps.length; fl++) {
      check(((flBitmap & (1 << fl)) != 0) == (slBitmaps[fl] != 0), "first-level bit %d", fl);
    }
    return listed;
  }

  private MemorySegment[] chunks() {
    return (MemorySegment[]) get(CHUNKS);
  }

  /** A cheap check for the hot loops: AssertJ per block would dominate the test time. */
  private static void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new AssertionError("region invariant broken: " + format.formatted(args));
    }
  }

  private Object get(Field field) {
    try {
      return field.get(region);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  private static int classOf(long units) {
    try {
      return (int) CLASS_OF.invoke(null, units);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
