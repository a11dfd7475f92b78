package dev.weakalloc;

import dev.weakalloc.internal.GuardedBy;
import dev.weakalloc.internal.Neighbourhood;
import java.util.function.Consumer;

/**
 * The book of a {@link WeakAlloc}'s blocks: which value owns which block, and where a block goes
 * when its value is removed. It carves blocks from the inner allocator and measures what they
 * really take, enters a new value under an id (written in the block's header, for the eviction
 * planner), hands a removed value's block and id over to a new value as they are, and releases
 * blocks to the inner allocator, at once or through the {@link ReleasedBlocks}.
 *
 * <h2>Thread safety</h2>
 * {@link #popReleased}, {@link #bindHandedOver} and {@link #deferRelease} may be called by any
 * thread without the lock (see the notes); every other method under the allocator's lock, {@code
 * WeakAlloc.lock}.
 *
 * <h2>Memory ownership</h2>
 * The blocks belong to the inner allocator, which the {@code WeakAlloc} owns; this book says, under
 * the lock, which value holds each. A block popped from the released stacks belongs to the thread
 * that popped it, which gives it to its new value; a block handed over belongs to the value being
 * given. Holds no off-heap memory of its own.
 *
 * <h2>Implementation notes</h2>
 * <b>Releasing and reusing.</b> A value freed while unpinned, or whose last pin closes after it
 * was removed, goes to the {@link ReleasedBlocks}: lock-free stacks by block size. A give first
 * pops a block of exactly the size it needs and writes its value in place, without the lock, and
 * its value enters the recency order through the write buffer (taking the removed value's place
 * there and in the counts when the lock holder applies it). Only when no such block is at hand
 * does it take the lock; the lock holder then releases every waiting block to the inner allocator
 * (keeping one of the right size, if any) before it carves or evicts. So {@link WeakAlloc#free}
 * never takes the lock, a cache's replace by a value of the same size takes none either, and
 * memory a removal gives back is reused before anything is evicted.
 *
 * <p><b>Hand-overs.</b> A block that goes from a removed value to a new one as it is (reused, or
 * evicted with exactly the bytes needed) keeps its header and its id: {@link #handOver} leaves the
 * id in {@code handedOverId} and the block's size in {@code lastBlockBytes}, and the {@link
 * #register} that follows, in the same lock hold, takes both. A value given without the lock binds
 * its block's id itself ({@link OwnerIds} says why that is safe), and the value whose block it took
 * stays in the recency order and the counts until {@link #settleReplaced} settles it.
 */
final class BlockBook {
  /** No block size matches this: {@link #releaseDeferred(long)} then retains no block. */
  static final long NO_REUSE = -1;

  private final MemoryAllocator allocator;
  /** The inner allocator's blocks side by side, or null if it does not lay them so. */
  private final Neighbourhood neighbourhood;
  private final OwnerIds ids;
  private final AllocatorCounters counters;
  private final RecencyKeeper recency;
  /** Removed values with no pin left, whose blocks wait to be reused or released. */
  private final ReleasedBlocks released = new ReleasedBlocks();
  // The lock holder's callback, made once rather than a lambda per drain.
  private final Consumer<WeakRef<?>> releaseRemovedBlock = this::releaseRemovedBlock;

  // The bytes the last block handed out really took: an allocator may hand out more than
  // blockSize (the region keeps a remainder too small to split), and usedBytes counts it.
  @GuardedBy("WeakAlloc.lock")
  private long lastBlockBytes;
  // The id of the value whose block the allocation in progress took over, or -1.
  @GuardedBy("WeakAlloc.lock")
  private int handedOverId = -1;

  BlockBook(
      MemoryAllocator allocator, OwnerIds ids, AllocatorCounters counters, RecencyKeeper recency) {
    this.allocator = allocator;
    this.neighbourhood = allocator instanceof Neighbourhood n ? n : null;
    this.ids = ids;
    this.counters = counters;
    this.recency = recency;
  }

  // --- without the lock ---

  /**
   * Takes a released block of exactly {@code blockBytes}, if one is at hand; any thread.
   *
   * @return the removed value whose block the caller now owns, or null
   */
  WeakRef<?> popReleased(long blockBytes) {
    return released.pop(blockBytes);
  }

  /** Binds the id of a popped block to the value that took it; by the thread that popped it. */
  void bindHandedOver(WeakRef<?> previous, WeakRef<?> ref) {
    ids.bindHandedOver(previous, ref);
  }

  /**
   * Hands a removed, unpinned value's block to the {@link ReleasedBlocks}: the next give of that
   * size reuses it, or the next lock holder releases it. Lock-free. Each value is pushed once, by
   * whoever set its {@code RELEASED} bit.
   */
  void deferRelease(WeakRef<?> ref) {
    released.push(ref);
  }

  // --- under the lock ---

  /** {@return the bytes the block last carved or handed over really takes} Under the lock. */
  @GuardedBy("WeakAlloc.lock")
  long lastBlockBytes() {
    return lastBlockBytes;
  }

  /** Carves a block from the inner allocator, measuring it. {@return its address, or NO_ROOM} */
  @GuardedBy("WeakAlloc.lock")
  long allocateMeasured(long size) {
    long before = allocator.allocatedBytes();
    long address = allocator.allocate(size);
    lastBlockBytes = allocator.allocatedBytes() - before;
    return address;
  }

  /** Carves a block in a span that eviction just freed, measuring it. {@return its address} */
  @GuardedBy("WeakAlloc.lock")
  long allocateIn(long span, long size) {
    long before = allocator.allocatedBytes();
    long address = neighbourhood.allocateIn(span, size);
    lastBlockBytes = allocator.allocatedBytes() - before;
    return address;
  }

  /**
   * Enters a value that took the block just carved or handed over: binds its id (the handed-over
   * one, or a new one written in the header), puts it at the recent end and counts it.
   */
  @GuardedBy("WeakAlloc.lock")
  void register(WeakRef<?> ref) {
    int id = handedOverId;
    if (id >= 0) {
      handedOverId = -1; // the block's header already names this id: no write to a cold line
    } else {
      id = ids.newId();
      if (neighbourhood != null) {
        neighbourhood.setOwner(ref.address, id);
      }
    }
    ids.bind(id, ref);
    recency.addNewest(ref);
    counters.entered(ref);
  }

  /** Releases the blocks waiting in the {@link ReleasedBlocks}. Called under the lock. */
  @GuardedBy("WeakAlloc.lock")
  void releaseDeferred() {
    releaseDeferred(NO_REUSE);
  }

  /**
   * Releases the blocks waiting in the {@link ReleasedBlocks}, except the first one whose block
   * takes exactly {@code reuseBlockBytes}: that block stays allocated and is returned, for the
   * caller to hand to a new value. Called under the lock.
   *
   * <p>A cache that replaces a value frees a block of the size it then allocates; reusing it
   * skips the inner allocator's free and allocate, which for the region means coalescing with
   * both neighbours (reading their cold headers) and splitting again.
   *
   * @param reuseBlockBytes the size of block to keep, or {@link #NO_REUSE} (as once the allocator
   *     is closed)
   * @return the address of the retained block, or {@code NO_ROOM} if none matched
   */
  @GuardedBy("WeakAlloc.lock")
  long releaseDeferred(long reuseBlockBytes) {
    WeakRef<?> kept = released.drain(reuseBlockBytes, releaseRemovedBlock);
    if (kept == null) {
      return MemoryAllocator.NO_ROOM;
    }
    recency.unlinkIfListed(kept);
    return handOver(kept);
  }

  /** Releases the block of a removed value that no pin holds; after close, the region's free is a no-op. */
  @GuardedBy("WeakAlloc.lock")
  private void releaseRemovedBlock(WeakRef<?> ref) {
    recency.unlinkIfListed(ref);
    releaseBlock(ref);
  }

  /** Releases a removed value's block to the inner allocator and forgets the value. */
  @GuardedBy("WeakAlloc.lock")
  void releaseBlock(WeakRef<?> ref) {
    settleReplaced(ref);
    allocator.free(ref.address);
    forgetBlock(ref);
  }

  /**
   * Settles the removed value whose block {@code ref} took without the lock, if that is not done
   * yet: it leaves the recency order and the counts. Done when the write buffer enters {@code ref},
   * or earlier if the lock holder releases or hands over {@code ref}'s block first (an eviction
   * that takes it as a neighbour), so that no removed value stays linked to an address that is no
   * longer its block. Under the lock.
   */
  @GuardedBy("WeakAlloc.lock")
  void settleReplaced(WeakRef<?> ref) {
    WeakRef<?> previous = ref.replaces;
    if (previous != null) {
      ref.replaces = null;
      recency.unlinkIfListed(previous);
      counters.blockLeft(previous);
    }
  }

  /** Drops the bookkeeping of a removed value whose block was released. */
  @GuardedBy("WeakAlloc.lock")
  private void forgetBlock(WeakRef<?> ref) {
    ids.release(ref);
    counters.blockLeft(ref);
    recency.sizeChanged();
  }

  /**
   * Hands the block of a removed value (off the recency list) to the value being given, which
   * {@link #register} then enters under the same id, so the block's header stays as it is.
   *
   * @return the block's address
   */
  @GuardedBy("WeakAlloc.lock")
  long handOver(WeakRef<?> ref) {
    settleReplaced(ref);
    handedOverId = ids.unbindForHandOver(ref);
    counters.blockLeft(ref);
    lastBlockBytes = ref.blockBytes;
    return ref.address;
  }
}
