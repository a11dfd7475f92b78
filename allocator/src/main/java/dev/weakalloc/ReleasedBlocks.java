package dev.weakalloc;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The blocks of removed values that no pin holds any more, waiting to be reused or released: a
 * {@link WeakAlloc#free} (a cache's remove or replace) pushes its value here, a give that needs a
 * block of exactly that size pops it and writes its own value in place, and the lock holder
 * releases whatever is left to the inner allocator before it carves or evicts. So the common put
 * of a cache, which frees a value of the size it gives, reuses a block without any lock, and
 * memory a removal gives back is reused before anything is evicted.
 *
 * <h2>Thread safety</h2>
 * {@link #push} and {@link #pop} are lock-free and may be called by any thread; {@link #drain} by
 * the owner's lock holder (it may run beside pushes and pops). Each value is pushed at most once,
 * by the thread that set its {@code RELEASED} bit, and then either popped by one give or drained
 * by one lock holder: its block has exactly one next owner.
 *
 * <h2>Memory ownership</h2>
 * A block on a stack is still allocated in the inner allocator, owned by nobody; popping or
 * draining it makes the caller its owner. Holds no off-heap memory of its own.
 *
 * <h2>Implementation notes</h2>
 * {@value #STACKS} Treiber stacks linked through {@code WeakRef.nextReleasable}, chosen by a hash
 * of the block size; heads sit 128 bytes apart. A pop takes the head only if its block has exactly
 * the size asked for (sizes that share a stack are rare, and the lock holder's drain catches
 * them). A popped value is never pushed again, so the classic ABA problem cannot arise: a head
 * seen once and gone never comes back, and a compare-and-set against it fails.
 *
 * <p>A bit per stack in {@code pushedTo} says that it may hold blocks, so that a drain visits
 * only those. A push that finds its stack empty sets the bit after its own push (reading it first,
 * so that a bit already set costs no atomic write); a drain clears the bits, then empties the
 * stacks they name. All these accesses are volatile, so in their one order a push either sees its
 * bit still set before the drain clears it (and the drain then takes its block) or sets it again
 * for the next drain: no block is stranded with its bit clear.
 */
final class ReleasedBlocks {
  private static final int STACKS = 64;
  private static final int PAD = 32;

  private final AtomicReferenceArray<WeakRef<?>> heads = new AtomicReferenceArray<>(STACKS * PAD);
  private final AtomicLong pushedTo = new AtomicLong();

  /** Adds the block of a removed value that no pin holds. */
  void push(WeakRef<?> ref) {
    int stack = stackOf(ref.blockBytes);
    WeakRef<?> head;
    do {
      head = heads.get(stack);
      ref.nextReleasable = head;
    } while (!heads.compareAndSet(stack, head, ref));
    long bit = 1L << (stack / PAD);
    if (head == null && (pushedTo.get() & bit) == 0) {
      pushedTo.getAndUpdate(stacks -> stacks | bit);
    }
  }

  /**
   * Takes a block of exactly {@code blockBytes}, if the top of its stack has one.
   *
   * @return the removed value whose block the caller now owns, or null
   */
  WeakRef<?> pop(long blockBytes) {
    int stack = stackOf(blockBytes);
    while (true) {
      WeakRef<?> head = heads.get(stack);
      if (head == null || head.blockBytes != blockBytes) {
        return null;
      }
      if (heads.compareAndSet(stack, head, head.nextReleasable)) {
        head.nextReleasable = null;
        return head;
      }
    }
  }

  /**
   * Empties the stacks: keeps the first block of exactly {@code keepBlockBytes} for the caller, and
   * hands every other one to {@code release}. The caller owns them all. Under the lock.
   *
   * @param keepBlockBytes the size of block to keep, or a negative number to keep none
   * @return the value whose block was kept, or null
   */
  WeakRef<?> drain(long keepBlockBytes, Consumer<WeakRef<?>> release) {
    WeakRef<?> kept = null;
    if (pushedTo.get() == 0) {
      return null;
    }
    for (long stacks = pushedTo.getAndSet(0); stacks != 0; stacks &= stacks - 1) {
      WeakRef<?> ref = heads.getAndSet(Long.numberOfTrailingZeros(stacks) * PAD, null);
      while (ref != null) {
        WeakRef<?> next = ref.nextReleasable;
        ref.nextReleasable = null;
        if (kept == null && ref.blockBytes == keepBlockBytes) {
          kept = ref;
        } else {
          release.accept(ref);
        }
        ref = next;
      }
    }
    return kept;
  }

  private static int stackOf(long blockBytes) {
    return (int) (blockBytes * 0x9E3779B97F4A7C15L >>> 58) * PAD;
  }
}
