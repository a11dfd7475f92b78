package dev.weakalloc;

import dev.weakalloc.internal.LimitAllocator;
import dev.weakalloc.internal.RegionAllocator;
import dev.weakalloc.internal.nativemem.SystemAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The inner allocator of a {@link WeakAlloc}: hands out and takes back raw blocks of off-heap
 * memory, and says "no room" by returning {@link #NO_ROOM}, never by throwing.
 *
 * <p>Allocators compose like the seed crate's {@code WeakAlloc<ConstLimit<System, N>>}:
 *
 * <pre>{@code
 * MemoryAllocator region  = MemoryAllocator.region(256 << 20);                    // the default
 * MemoryAllocator limited = MemoryAllocator.limit(MemoryAllocator.system(), 200_000);
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Implementations need not be thread-safe, with three exceptions: a {@code WeakAlloc} calls
 * {@link #blockSize}, {@link #segment} and {@link #read} from any thread without its lock (a give
 * that reuses a released block takes no lock; a read pins or validates, and takes none), so those
 * three must be safe to call beside the others; every other
 * method is called under the {@code WeakAlloc}'s lock. An allocator belongs to exactly one
 * {@code WeakAlloc}.
 *
 * <h2>Memory ownership</h2>
 * The allocator owns all memory it hands out. An address is valid from {@link #allocate} until
 * {@link #free} or {@link #close}; a segment from {@link #segment} must not be accessed after its
 * block is freed. {@link #close()} releases every block at once.
 */
public interface MemoryAllocator extends AutoCloseable {

  /** Returned by {@link #allocate} when there is no room. */
  long NO_ROOM = -1L;

  /**
   * Allocates a block that can hold {@code byteSize} bytes.
   *
   * @param byteSize the payload size, at least 0 and at most {@link #maxAllocation()}
   * @return the block's address, or {@link #NO_ROOM}
   */
  long allocate(long byteSize);

  /**
   * Frees a block allocated by this allocator. Freeing a block twice is undefined. After {@link
   * #close()} it still releases the block if {@code close} did not (the system allocator), and
   * does nothing if it did (the region): a {@link WeakAlloc} frees a value pinned at its close
   * when the last pin closes.
   *
   * @param address an address returned by {@link #allocate}
   */
  void free(long address);

  /**
   * {@return a read-write view of the first {@code byteSize} bytes of an allocated block}
   * The view is valid until the block is freed or the allocator closed; accessing it later is a
   * bug that the allocator may not detect.
   */
  MemorySegment segment(long address, long byteSize);

  /**
   * Copies the first {@code dst.length} bytes of a block's payload into {@code dst}. By default it
   * copies from {@link #segment}; the region reads its chunk table directly, so a read makes no
   * segment.
   *
   * <p>Where {@link #freedMemoryStaysMapped()} is false, a {@link WeakAlloc} calls this only on a
   * block that is allocated and pinned. Where it is true, it also calls it, without a pin, on a
   * block that may have been freed (and reused) since it was allocated: the read must then not
   * fault and may return any bytes, which the caller validates and discards. After {@link
   * #close()} it must throw {@link IllegalStateException} rather than read unmapped memory; an
   * allocator whose memory stays mapped keeps that promise, the others are never called then.
   *
   * @param address an address returned by {@link #allocate}
   * @param dst the array to fill, no longer than the payload
   * @throws IllegalStateException if the allocator closed and its memory stays mapped until close
   */
  default void read(long address, byte[] dst) {
    MemorySegment.copy(segment(address, dst.length), ValueLayout.JAVA_BYTE, 0, dst, 0, dst.length);
  }

  /**
   * {@return the least bytes a block for a {@code byteSize}-byte payload takes, headers included}
   * An allocator may hand out a slightly larger block (the region does, by up to 16 bytes, rather
   * than leave a sliver too small to reuse); {@link #allocatedBytes()} counts what it handed out.
   */
  long blockSize(long byteSize);

  /**
   * {@return whether memory this allocator frees stays mapped, readable without a fault, until the
   * allocator closes} A {@link WeakAlloc} over such an allocator reads values without pinning them:
   * it copies the bytes and then checks that the value was not removed meanwhile (a copy of a
   * block freed and reused during the read is discarded). Where freed memory may be unmapped (the
   * system allocator), reads pin. By default false.
   */
  default boolean freedMemoryStaysMapped() {
    return false;
  }

  /** {@return the largest payload {@link #allocate} can ever succeed for} */
  long maxAllocation();

  /** {@return the bytes this allocator may hand out in total, or {@link Long#MAX_VALUE}} */
  long capacity();

  /** {@return the bytes taken by allocated blocks, headers included} */
  long allocatedBytes();

  /** {@return the bytes of memory reserved from the platform, used or not} */
  long committedBytes();

  /**
   * Releases the allocator's memory. Idempotent. A region releases all of it at once, and every
   * address and segment becomes invalid; the system allocator has nothing to release at once, and
   * blocks still allocated stay valid until {@link #free}d.
   */
  @Override
  void close();

  /**
   * A bounded region, the default: memory is taken from the platform in chunks of 32 MiB as the
   * region fills (so RSS grows with the data, not at creation) and handed out by a two-level
   * segregated-fit allocator. The largest value is 32 MiB, or the capacity if it is smaller. Needs
   * no JVM flag.
   *
   * <p>Close gives the memory back to the system. Each chunk, with its header room, is a {@code
   * malloc} request over 32 MiB, which glibc always serves with a mapping of its own and unmaps on
   * free, even in a process that opened and closed other regions. A region under 32 MiB, and the
   * last chunk of a capacity that is not a multiple of 32 MiB, are smaller requests: see {@link
   * #region(long, long)} for what glibc may keep of them.
   *
   * @param capacity the most bytes the region may take, at least 64 KiB
   * @throws IllegalArgumentException if capacity is too small
   */
  static MemoryAllocator region(long capacity) {
    return new RegionAllocator(capacity, RegionAllocator.DEFAULT_CHUNK_SIZE);
  }

  /**
   * A bounded region committed in chunks of {@code chunkSize} bytes, which is also its largest
   * value (or the capacity, if smaller).
   *
   * <p>A {@code chunkSize} under the default 32 MiB may leave memory in the process after {@link
   * #close()}, on glibc. glibc maps a request of 128 KiB or more on its own and unmaps it on free,
   * but each such free raises its mmap threshold to the freed size (its dynamic threshold, up to
   * 32 MiB): once the process freed a mapping at least as large as this region's chunks (an earlier
   * region's chunk, say), the chunks come from {@code malloc}'s heap, which keeps part of them after
   * close for the process to reuse (measured: a second region with 256 MiB written in chunks of 16
   * MiB, the default before, left 48 MiB after its close; in chunks of 32 MiB, nothing). The same
   * holds for a region, or the last chunk of a region, shorter than 32 MiB: at most that chunk for
   * each region. Setting the environment variable {@code MALLOC_MMAP_THRESHOLD_} (to {@code
   * 131072}, say) fixes glibc's threshold for the whole process and maps every chunk. A {@code
   * chunkSize} over 32 MiB allows larger values and gives its memory back like the default.
   *
   * @param capacity the most bytes the region may take
   * @param chunkSize the unit in which memory is committed, a power of two from 64 KiB to 1 GiB;
   *     also bounds the largest value
   * @throws IllegalArgumentException if either size is out of range
   */
  static MemoryAllocator region(long capacity, long chunkSize) {
    return new RegionAllocator(capacity, chunkSize);
  }

  /**
   * Wraps an allocator so that it refuses to hand out more than {@code limitBytes} in blocks (the
   * seed's {@code limit-alloc}).
   *
   * @throws IllegalArgumentException if the limit is not positive
   */
  static MemoryAllocator limit(MemoryAllocator inner, long limitBytes) {
    return new LimitAllocator(inner, limitBytes);
  }

  /**
   * The platform allocator ({@code malloc} and {@code free}), unbounded. Opt-in: it makes FFM
   * downcalls, so the JVM needs {@code --enable-native-access=dev.weakalloc.allocator} (or
   * {@code ALL-UNNAMED} on the class path). Operating systems that overcommit never say "no room",
   * so wrap it in {@link #limit}.
   */
  static MemoryAllocator system() {
    return new SystemAllocator();
  }
}
