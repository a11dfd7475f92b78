package dev.weakalloc;

import java.lang.foreign.MemorySegment;

/**
 * A {@link MemoryAllocator} for interleaving tests: a few fixed-size slots on the Java heap, the
 * lowest free one handed out first, so that a block released too early is at once reused and
 * overwritten by the next value. Instead of corrupting anything it records misuse (a double free,
 * a free of an unknown address) in {@link #error()}, which the tests check.
 *
 * <p>Not thread-safe, like every {@link MemoryAllocator}: its {@link WeakAlloc} serializes calls.
 * The checking methods read plain fields and are called when the test is quiescent, or by a
 * thread that holds a pin on the block it asks about (the pin keeps the block allocated, which is
 * exactly what they check).
 */
final class SlotAllocator implements MemoryAllocator {
  private final long slotBytes;
  private final MemorySegment[] slots;
  private final boolean[] used;
  private final int[] frees;
  private int usedCount;
  private String error;

  SlotAllocator(int slotCount, long slotBytes) {
    this.slotBytes = slotBytes;
    this.slots = new MemorySegment[slotCount];
    this.used = new boolean[slotCount];
    this.frees = new int[slotCount];
    for (int i = 0; i < slotCount; i++) {
      slots[i] = MemorySegment.ofArray(new byte[(int) slotBytes]);
    }
  }

  /** {@return true: the slots are heap arrays, readable for ever; reads are validated copies} */
  @Override
  public boolean freedMemoryStaysMapped() {
    return true;
  }

  @Override
  public long allocate(long byteSize) {
    if (byteSize > slotBytes) {
      return NO_ROOM;
    }
    for (int i = 0; i < used.length; i++) {
      if (!used[i]) {
        used[i] = true;
        usedCount++;
        return i;
      }
    }
    return NO_ROOM;
  }

  @Override
  public void free(long address) {
    if (address < 0 || address >= used.length) {
      error = "free of unknown address " + address;
    } else if (!used[(int) address]) {
      error = "double free of slot " + address;
    } else {
      used[(int) address] = false;
      usedCount--;
      frees[(int) address]++;
    }
  }

  @Override
  public MemorySegment segment(long address, long byteSize) {
    return slots[(int) address].asSlice(0, byteSize);
  }

  @Override
  public long blockSize(long byteSize) {
    return slotBytes;
  }

  @Override
  public long maxAllocation() {
    return slotBytes;
  }

  @Override
  public long capacity() {
    return slotBytes * slots.length;
  }

  @Override
  public long allocatedBytes() {
    return slotBytes * usedCount;
  }

  @Override
  public long committedBytes() {
    return capacity();
  }

  @Override
  public void close() {}

  /** {@return whether the slot at {@code address} is allocated} */
  boolean isAllocated(long address) {
    return used[(int) address];
  }

  /** {@return how many times the slot at {@code address} was freed} */
  int frees(long address) {
    return frees[(int) address];
  }

  /** {@return the first misuse seen, or null} */
  String error() {
    return error;
  }
}
