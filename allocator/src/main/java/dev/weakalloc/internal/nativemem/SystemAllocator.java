package dev.weakalloc.internal.nativemem;

import dev.weakalloc.MemoryAllocator;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The platform allocator: {@code malloc} and {@code free} through FFM downcalls. Unbounded: it says
 * "no room" only when {@code malloc} returns null, which an overcommitting OS never does, so wrap
 * it in a limit.
 *
 * <p>This package is the only one that makes downcalls or calls {@code reinterpret}; it needs
 * {@code --enable-native-access=dev.weakalloc.allocator}.
 *
 * <p>Each block carries a 16-byte header holding its size, for accounting:
 *
 * <pre>
 *   0            8            16
 *   +------------+------------+------------------------------+
 *   | block size | (reserved) | payload ...                  |
 *   +------------+------------+------------------------------+
 * </pre>
 *
 * <p>Not thread-safe, like every {@link MemoryAllocator}. It owns the blocks it hands out until
 * they are freed; {@link #close()} frees none (the owning {@code WeakAlloc} frees every block
 * first).
 */
@SuppressWarnings("restricted") // this package is where restricted calls live; each has a SAFETY note
public final class SystemAllocator implements MemoryAllocator {
  private static final int HEADER = 16;
  private static final MethodHandle MALLOC;
  private static final MethodHandle FREE;

  static {
    Linker linker = Linker.nativeLinker();
    // SAFETY: malloc and free from the C library, with their C signatures.
    MALLOC =
        linker.downcallHandle(
            linker.defaultLookup().findOrThrow("malloc"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    FREE =
        linker.downcallHandle(
            linker.defaultLookup().findOrThrow("free"), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
  }

  private long allocatedBytes;

  /** Creates the allocator; fails if native access is not enabled for this module. */
  public SystemAllocator() {}

  @Override
  public long allocate(long byteSize) {
    long size = blockSize(byteSize);
    MemorySegment block;
    try {
      block = (MemorySegment) MALLOC.invokeExact(size);
    } catch (Throwable t) {
      throw new IllegalStateException("malloc failed", t);
    }
    if (block.equals(MemorySegment.NULL)) {
      return NO_ROOM;
    }
    // SAFETY: malloc returned at least `size` bytes at this address.
    block.reinterpret(HEADER).set(ValueLayout.JAVA_LONG, 0, size);
    allocatedBytes += size;
    return block.address();
  }

  @Override
  public void free(long address) {
    // SAFETY: address came from allocate and was not freed; its header holds the size.
    MemorySegment block = MemorySegment.ofAddress(address).reinterpret(HEADER);
    allocatedBytes -= block.get(ValueLayout.JAVA_LONG, 0);
    try {
      FREE.invokeExact(block);
    } catch (Throwable t) {
      throw new IllegalStateException("free failed", t);
    }
  }

  @Override
  public MemorySegment segment(long address, long byteSize) {
    // SAFETY: the payload of a live block starts HEADER bytes in and holds at least byteSize
    // bytes; the WeakAlloc's pins keep every view from outliving the block.
    return MemorySegment.ofAddress(address + HEADER).reinterpret(byteSize);
  }

  @Override
  public long blockSize(long byteSize) {
    return (byteSize + HEADER + 15) & -16L;
  }

  @Override
  public long maxAllocation() {
    return Long.MAX_VALUE / 2;
  }

  @Override
  public long capacity() {
    return Long.MAX_VALUE;
  }

  @Override
  public long allocatedBytes() {
    return allocatedBytes;
  }

  @Override
  public long committedBytes() {
    return allocatedBytes;
  }

  @Override
  public void close() {}
}
