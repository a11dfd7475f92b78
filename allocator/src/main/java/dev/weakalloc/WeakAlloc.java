package dev.weakalloc;

import dev.weakalloc.internal.GuardedBy;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An allocator that can be given ownership of values, returning {@link WeakRef}s. When its inner
 * {@link MemoryAllocator} has no room for a new value, it evicts the least recently used values
 * that are not pinned until the new one fits: a cache built on it keeps everything until memory
 * runs short, then drops what was used longest ago.
 *
 * {@snippet :
 * try (WeakAlloc alloc = WeakAlloc.withCapacity(64 << 20)) {
 *   WeakRef<String> ref = alloc.give("hello", Codecs.string());
 *   try (ArcRef<String> pinned = ref.upgrade().orElseThrow()) {
 *     String value = pinned.get();   // "hello": pinned, so it cannot be evicted meanwhile
 *   }
 * }
 * }
 *
 * <h2>Thread safety</h2>
 * Thread-safe: any thread may call any method. Freeing, a hit ({@link WeakRef#upgrade()}, {@link
 * WeakRef#getIfPresent()}) and a give that reuses a block a removal released take no lock; a give
 * that must carve a new block or evict, clearing and {@link #stats()} take one lock. A hit records
 * the use in a lossy striped buffer, and a give without the lock records its value in a bounded
 * write buffer; the lock holder applies both to the recency order in batches (gives first), and a
 * thread that finds either buffer due drains it if the lock is free. Uses of values already among
 * the newest eighth of that order are not recorded. The recency order is therefore exact up to
 * that eighth and the records not yet drained or dropped.
 *
 * <h2>Memory ownership</h2>
 * The {@code WeakAlloc} owns its inner allocator and every value given to it. A value's block is
 * released when it is evicted, freed or cleared and no {@link ArcRef} pins it; a pinned value is
 * released when its last pin closes. {@link #close()} releases everything: it must happen-after
 * every use of the allocator's pins.
 *
 * <h2>Implementation notes</h2>
 * This class is the public face and the give protocol; each other role has a class, whose notes
 * describe its protocol:
 * <ul>
 *   <li>{@link AllocationLock}: the one lock, and the spinning way into it of an allocating give.
 *   <li>{@link RecencyKeeper}: the recency order, and the read and write buffers through which
 *       hits and gives without the lock reach it; admission's counting of gives and hits.
 *   <li>{@link BlockBook}: which value owns which block; carving, handing over, releasing and
 *       reusing blocks (with {@link ReleasedBlocks} and {@link OwnerIds}).
 *   <li>{@link Evictor}: plan, then evict (with {@link EvictionPlanner}), admission's verdict,
 *       and the races of pins and frees with the plan.
 *   <li>{@link PinWait}: a give's wait for transient pins.
 *   <li>{@link AllocatorCounters}: the counters behind {@link #stats()}.
 * </ul>
 *
 * <p><b>Giving.</b> A give first pops a released block of exactly its size and writes in place,
 * without the lock ({@code reuseReleasedBlock}). Otherwise it takes the lock, applies the
 * buffers, releases the waiting blocks (keeping one of its size), carves, and if the inner
 * allocator refuses asks the {@link Evictor} to make room; if only transient pins stand in the
 * way it releases the lock, waits and tries again.
 *
 * <p><b>Pins.</b> See {@link WeakRef}: pinning is an atomic add on the value's state, eviction a
 * CAS from "unpinned" to "removed", so a pinned value is never evicted and an evicted one never
 * pinned.
 *
 * <p><b>Values not yet in the recency order.</b> A value given without the lock is in the block
 * headers (its id is bound when it takes the block) before the write buffer enters it in the
 * recency order. Eviction may meet it as the neighbour of an older value and evict it; the write
 * buffer then counts it and leaves it out ({@code applyWrite}). A value freed before its turn is
 * released by whoever owns its block next, and likewise left out.
 *
 * <p><b>Writing.</b> A new value's handle is born pinned by the giving thread, which writes the
 * bytes outside the lock. Nobody else can see the value before {@code give} returns, and eviction
 * skips it because it is pinned.
 *
 * <p><b>Closing.</b> {@link #close()} sets {@code closed} and then drains the write buffer, removing
 * what it finds; a give without the lock checks {@code closed} after it queued its value (both
 * volatile), and removes its own value if it sees it set. So no value outlives the close
 * unremoved, and a give racing the close either returns before it or throws.
 *
 * <p><b>Listeners</b> run after the lock is released, in the thread that evicted. A newcomer that
 * admission refused evicts nothing, takes no block, and gets a handle that is already gone, which
 * the eviction listener is told of as if it had been evicted at once.
 */
public final class WeakAlloc implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(WeakAlloc.class.getName());

  private final MemoryAllocator allocator;
  /** Whether {@link WeakRef#getIfPresent()} reads without a pin; see there. */
  final boolean readsOptimistically;
  /** The admission policy, or null for {@link Admission#NONE}; its state is guarded by lock. */
  private final AdmissionPolicy admission;
  /** The global lock: carving, eviction, draining. Package-private for tests that hold it. */
  final AllocationLock lock = new AllocationLock();
  /** The recency order and the buffers of hits and gives recorded without the lock. */
  private final RecencyKeeper recency;
  /** Which value owns which block; carving, handing over and releasing blocks. */
  private final BlockBook blocks;
  /** Plans, then evicts, when the inner allocator has no room. */
  private final Evictor evictor;
  private final AllocatorCounters counters = new AllocatorCounters();
  /** Set once, by {@link #close()} under the lock; read without it: see the notes on closing. */
  private volatile boolean closed;

  private WeakAlloc(
      MemoryAllocator allocator, EvictionListener evictionListener, Admission admission) {
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    this.admission = admission == Admission.TINY_LFU ? new AdmissionPolicy() : null;
    this.readsOptimistically = allocator.freedMemoryStaysMapped();
    this.recency = new RecencyKeeper(lock, this.admission, this::applyWrite);
    OwnerIds ids = new OwnerIds();
    this.blocks = new BlockBook(allocator, ids, counters, recency);
    this.evictor =
        new Evictor(allocator, ids, this.admission, recency, blocks, counters, evictionListener);
  }

  /** {@return a weak allocator over a new region of {@code capacityBytes}} */
  public static WeakAlloc withCapacity(long capacityBytes) {
    return new WeakAlloc(MemoryAllocator.region(capacityBytes), null, Admission.NONE);
  }

  /** {@return a weak allocator over {@code allocator}, which it then owns} */
  public static WeakAlloc over(MemoryAllocator allocator) {
    return new WeakAlloc(allocator, null, Admission.NONE);
  }

  /** {@return a builder for a weak allocator over {@code allocator}, which it then owns} */
  public static Builder builder(MemoryAllocator allocator) {
    return new Builder(allocator);
  }

  /** Builds a {@link WeakAlloc}. Not thread-safe; use it from one thread. */
  public static final class Builder {
    private final MemoryAllocator allocator;
    private EvictionListener evictionListener;
    private Admission admission = Admission.NONE;

    private Builder(MemoryAllocator allocator) {
      this.allocator = Objects.requireNonNull(allocator, "allocator");
    }

    /** Sets the listener told of every eviction. */
    public Builder evictionListener(EvictionListener listener) {
      this.evictionListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets whether a give that must evict stores its value only if it is used more often than
     * what it would evict: see {@link Admission}. Default {@link Admission#NONE}.
     */
    public Builder admission(Admission admission) {
      this.admission = Objects.requireNonNull(admission, "admission");
      return this;
    }

    /** {@return the allocator} */
    public WeakAlloc build() {
      return new WeakAlloc(allocator, evictionListener, admission);
    }
  }

  // --- giving ---

  /**
   * Takes ownership of a value: encodes it into a new block, evicting least recently used values
   * if there is no room.
   *
   * @return a weak handle to the value
   * @throws NullPointerException if value or codec is null
   * @throws CodecException if the codec fails; nothing is allocated
   * @throws ValueTooLargeException if the value could never fit; nothing is evicted
   * @throws RegionPinnedException if it does not fit beside the pinned values
   * @throws IllegalStateException if this allocator is closed
   */
  public <T> WeakRef<T> give(T value, Codec<T> codec) {
    return give(value, codec, null);
  }

  /**
   * Like {@link #give(Object, Codec)}, attaching a tag that {@link WeakRef#tag()} returns, for
   * instance the cache key, so that an {@link EvictionListener} knows what was evicted.
   */
  public <T> WeakRef<T> give(T value, Codec<T> codec, Object tag) {
    return give(value, codec, tag, AdmissionPolicy.NO_HASH);
  }

  /**
   * Like {@link #give(Object, Codec, Object)}, with the hash that {@link Admission#TINY_LFU}
   * counts for this value: the same for every value given for the same key (a cache passes its
   * key's {@code hashCode()}). Without admission the hash is ignored.
   *
   * <p>With admission on, a give that must evict to make room stores the value only if its hash
   * was seen more often recently than the values it would evict; otherwise nothing is evicted,
   * nothing is stored, {@link WeakAllocStats#admissionsRefused()} counts it, the eviction listener
   * is told of the returned handle as of an eviction, and the handle is already gone: {@link
   * WeakRef#upgrade()} returns empty.
   *
   * @return a weak handle to the value, possibly already gone if it was refused
   * @throws NullPointerException if value or codec is null
   * @throws CodecException if the codec fails; nothing is allocated
   * @throws ValueTooLargeException if the value could never fit; nothing is evicted
   * @throws RegionPinnedException if it does not fit beside the pinned values
   * @throws IllegalStateException if this allocator is closed
   */
  public <T> WeakRef<T> give(T value, Codec<T> codec, Object tag, int hash) {
    return give(value, codec, tag, (long) hash);
  }

  private <T> WeakRef<T> give(T value, Codec<T> codec, Object tag, long hash) {
    WeakRef<T> ref = giveWritten(value, codec, tag, true, hash);
    if (ref.address != Evictor.REFUSED) {
      ref.unpin();
    }
    return ref;
  }

  /**
   * Gives a value and returns it already pinned. It never fails for lack of room between the give
   * and the pin: the block is born pinned.
   *
   * @return an open pin, to be closed by the caller
   * @throws NullPointerException if value or codec is null
   * @throws CodecException if the codec fails; nothing is allocated
   * @throws ValueTooLargeException if the value could never fit; nothing is evicted
   * @throws RegionPinnedException if it does not fit beside the pinned values
   * @throws IllegalStateException if this allocator is closed
   */
  public <T> ArcRef<T> giveAndUpgrade(T value, Codec<T> codec) {
    return new ArcRef<>(giveWritten(value, codec, null, true, AdmissionPolicy.NO_HASH));
  }

  /**
   * Gives a value only if there is room without evicting anything (the seed's {@code
   * weak_alloc}).
   *
   * @return the handle, or empty if the value does not fit now
   * @throws NullPointerException if value or codec is null
   * @throws CodecException if the codec fails
   * @throws ValueTooLargeException if the value could never fit
   * @throws IllegalStateException if this allocator is closed
   */
  public <T> Optional<WeakRef<T>> tryGive(T value, Codec<T> codec) {
    WeakRef<T> ref = giveWritten(value, codec, null, false, AdmissionPolicy.NO_HASH);
    if (ref == null) {
      return Optional.empty();
    }
    ref.unpin();
    return Optional.of(ref);
  }

  /**
   * Encodes, allocates and writes; returns the value pinned once, or null if !mayEvict and full,
   * or an unpinned handle already gone (address {@link Evictor#REFUSED}) if admission refused it.
   */
  private <T> WeakRef<T> giveWritten(
      T value, Codec<T> codec, Object tag, boolean mayEvict, long hash) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(codec, "codec");
    Codec.Encoding encoding;
    long size;
    try {
      encoding = codec.encode(value);
      size = encoding.byteSize();
    } catch (CodecException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CodecException("codec " + codec + " failed to encode a " + value.getClass().getName(), e);
    }
    if (size < 0) {
      throw new CodecException("codec " + codec + " reported a negative size: " + size);
    }
    if (size > allocator.maxAllocation()) {
      recordFailure(size);
      throw new ValueTooLargeException(size, allocator.maxAllocation(), allocator.capacity());
    }
    WeakRef<T> ref = allocate(size, codec, tag, mayEvict, hash);
    if (ref == null || ref.address == Evictor.REFUSED) {
      return ref;
    }
    try {
      encoding.writeTo(allocator.segment(ref.address, size));
    } catch (RuntimeException e) {
      discard(ref);
      throw e instanceof CodecException
          ? e
          : new CodecException("codec " + codec + " failed to write a value of " + size + " bytes", e);
    } catch (Error e) {
      discard(ref);
      throw e;
    }
    return ref;
  }

  /** Undoes a give whose write failed: the value was never given, so it does not count. */
  private void discard(WeakRef<?> written) {
    lock.lock();
    try {
      counters.discarded(written);
    } finally {
      lock.unlock();
    }
    free(written);
    written.unpin();
  }

  /**
   * {@return the handle of a block just allocated, pinned once for the write; or an unpinned
   * handle already gone (address {@link Evictor#REFUSED}) if admission refused the value; or null
   * if !mayEvict and there is no room}
   */
  private <T> WeakRef<T> allocate(
      long size, Codec<T> codec, Object tag, boolean mayEvict, long hash) {
    WeakRef<T> reused = reuseReleasedBlock(size, codec, tag, hash);
    if (reused != null) {
      return reused; // it needed no eviction: admitted, and counted when the write buffer drains
    }
    PinWait wait = null; // made only if transient pins make the give wait
    while (true) {
      List<WeakRef<?>> evicted = null;
      WeakRef<?> handedOver = null; // the common eviction's one victim, told of without a list
      lock.lockForAllocation();
      try {
        ensureOpen();
        recency.drainBuffers();
        recency.recordGive(hash);
        // A closed allocator keeps no block for reuse (read here as before; ensureOpen ran above).
        long address = blocks.releaseDeferred(closed ? BlockBook.NO_REUSE : allocator.blockSize(size));
        if (address == MemoryAllocator.NO_ROOM) {
          address = blocks.allocateMeasured(size);
        }
        if (address == MemoryAllocator.NO_ROOM) {
          if (!mayEvict) {
            return null;
          }
          handedOver = evictor.handOverOldest(size);
          if (handedOver != null) {
            address = handedOver.address;
          } else {
            evicted = new ArrayList<>();
            address = evictor.evictToFit(size, evicted, wait == null || wait.patient(), hash);
          }
        }
        if (address == Evictor.REFUSED) {
          return evictor.refused(this, codec, tag, size, hash, evicted);
        }
        if (address >= 0) {
          WeakRef<T> ref = new WeakRef<>(this, codec, tag, address, size, blocks.lastBlockBytes());
          ref.admissionHash = hash;
          blocks.register(ref);
          return ref;
        }
        if (address == MemoryAllocator.NO_ROOM) {
          throw evictor.noRoom(size);
        }
      } finally {
        lock.unlock();
        evictor.notifyEvicted(handedOver);
        evictor.notifyEvicted(evicted);
      }
      if (wait == null) {
        wait = new PinWait();
      }
      wait.pause(); // Evictor.WAIT_FOR_PINS: only reads and writes in progress stand in the way
    }
  }

  /**
   * The common put, without the lock: takes a block that a removal released, of exactly the size
   * needed, and writes the new value in place; the value enters the recency order through the
   * write buffer. The block keeps its header and its id, which passes to the new value.
   *
   * @return the new value's handle, pinned once for the write, or null if no released block of
   *     that size is at hand
   */
  private <T> WeakRef<T> reuseReleasedBlock(long size, Codec<T> codec, Object tag, long hash) {
    ensureOpen();
    WeakRef<?> previous = blocks.popReleased(allocator.blockSize(size));
    if (previous == null) {
      return null;
    }
    WeakRef<T> ref = new WeakRef<>(this, codec, tag, previous.address, size, previous.blockBytes);
    ref.replaces = previous;
    ref.admissionHash = hash;
    blocks.bindHandedOver(previous, ref);
    recency.enterRecency(ref);
    if (closed) {
      // close() may have drained the write buffer before this value entered it: remove it here.
      free(ref);
      ref.unpin();
      throw new IllegalStateException("the WeakAlloc is closed");
    }
    return ref;
  }

  /**
   * Enters a value given without the lock: it takes the recency order's newest place, and the
   * value whose block it took leaves the order and the counts. A value removed before its turn
   * (freed, or evicted as a neighbour of an older one) is counted but not entered; once the
   * allocator is closed, the value is removed. Under the lock: the {@link RecencyKeeper} calls it
   * for each value it drains from the write buffer.
   */
  @GuardedBy("WeakAlloc.lock")
  private void applyWrite(WeakRef<?> ref) {
    blocks.settleReplaced(ref);
    counters.entered(ref);
    recency.recordGive(ref.admissionHash);
    if (closed) {
      if (retireCleared(ref)) {
        blocks.releaseBlock(ref);
      }
    } else if (ref.isPresent()) {
      recency.addNewest(ref);
    }
  }

  /** Counts a give that failed before it could take the lock (a value too large). */
  private void recordFailure(long size) {
    lock.lock();
    try {
      counters.failed(size);
    } finally {
      lock.unlock();
    }
  }

  // --- removing ---

  /**
   * Frees a value now, or when its last pin closes if it is pinned. It can no longer be upgraded.
   *
   * @return true if the value was there, false if it was already removed
   * @throws IllegalArgumentException if the value belongs to another allocator
   */
  public boolean free(WeakRef<?> ref) {
    if (ref.owner != this) {
      throw new IllegalArgumentException("that WeakRef belongs to another WeakAlloc");
    }
    // Counted before the removal is visible: once it is, the last pin may close and a lock holder
    // release the block, and a snapshot must not then count the value live.
    counters.freeing();
    int pins = ref.retire();
    if (pins < 0) {
      counters.freeFoundItGone();
      return false;
    }
    if (pins == 0) {
      releaseRemoved(ref); // which releases it at once if the allocator closed meanwhile
    }
    return true;
  }

  /** Frees every value; pinned ones are released when their last pin closes. */
  public void clear() {
    lock.lock();
    try {
      recency.drainAllClaimedWrites(); // every give that returned before the clear
      recency.drainBuffers();
      blocks.releaseDeferred();
      RecencyList order = recency.order();
      order.forEach(ref -> {
        if (retireCleared(ref)) {
          order.remove(ref);
          blocks.releaseBlock(ref);
        }
      });
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes a value for a clear or the close, whatever its pins, and counts it if it was there.
   * {@return whether no pin holds it, so that the caller releases its block now} Under the lock.
   */
  @GuardedBy("WeakAlloc.lock")
  private boolean retireCleared(WeakRef<?> ref) {
    int pins = ref.retire();
    if (pins >= 0) {
      counters.cleared();
    }
    return pins == 0;
  }

  // --- stats and lifecycle ---

  /**
   * {@return a snapshot of the counters} All but {@code pinnedBytes} and {@code liveValues} are
   * read under the lock and agree with each other; {@code pinnedBytes} (values held by open
   * {@link ArcRef}s) is kept without the lock and may be a moment off, and {@code liveValues} may
   * already leave out a value whose {@link #free} is under way. Constant time.
   */
  public WeakAllocStats stats() {
    lock.lock();
    try {
      recency.drainBuffers();
      blocks.releaseDeferred();
      return counters.snapshot(
          allocator,
          recency.order().size(),
          admission == null ? 0 : admission.refused(),
          admission == null ? 0 : admission.byteSize());
    } finally {
      lock.unlock();
    }
  }

  /** {@return the inner allocator's capacity in bytes} */
  public long capacity() {
    return allocator.capacity();
  }

  /** {@return the largest value this allocator can ever hold, in bytes} */
  public long maxValueSize() {
    return allocator.maxAllocation();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the WeakAlloc is closed");
    }
  }

  /**
   * Frees every value and releases the inner allocator's memory. Pins still open are closed in
   * effect: accessing them throws {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      clear();
      closed = true; // from here a give without the lock removes its own value; see there
      // The store of closed must precede the drain's reads: with acquire loads alone it could be
      // ordered after them, and a give that read closed as false would go unseen.
      VarHandle.fullFence();
      recency.drainAllClaimedWrites(); // what such gives queued before they could see closed
      blocks.releaseDeferred(); // what a last unpin pushed before it could see closed
      allocator.close();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "WeakAlloc[" + allocator + "]";
  }

  // --- called by the handles (WeakRef, ArcRef) ---

  /**
   * Records a use of {@code ref}; lock-free. Called from any thread after a successful pin: see
   * {@link RecencyKeeper#recordAccess}.
   */
  void recordAccess(WeakRef<?> ref) {
    recency.recordAccess(ref);
  }

  /**
   * Called, without the lock, by the thread that dropped the last pin of a removed value. Once the
   * allocator is closed no give drains the stacks, so this thread releases the block itself (the
   * system allocator's blocks outlive its close until freed). Either this thread sees {@code
   * closed}, or {@link #close()} sees the push after setting it: both are volatile.
   */
  void releaseRemoved(WeakRef<?> ref) {
    blocks.deferRelease(ref);
    if (closed) {
      lock.lock();
      try {
        blocks.releaseDeferred();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Open ArcRefs now pin {@code delta} more bytes; lock-free, any thread. */
  void addPinnedBytes(long delta) {
    counters.pinned(delta);
  }

  /**
   * Counts and (the first time) logs a pin the garbage collector found unclosed. Not after close:
   * {@link #close()} closed every pin in effect, so a pin dropped later leaked nothing.
   */
  void reportLeakedPin() {
    if (closed) {
      return;
    }
    if (counters.leaked()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "An ArcRef was garbage-collected without close(); its pin was dropped by a Cleaner. "
              + "Close ArcRefs (try-with-resources) so that values do not stay pinned until a GC. "
              + "Further leaks are counted in WeakAllocStats.leakedPins() but not logged.");
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** {@return a read-only view of a value's payload} Any thread; the caller holds a pin. */
  MemorySegment segmentOf(long address, long byteSize) {
    return allocator.segment(address, byteSize).asReadOnly();
  }

  /**
   * Copies a value's payload into {@code copy}, which is as long as the value. Any thread; pinned,
   * or unpinned only where the inner allocator's freed memory stays mapped ({@link
   * #readsOptimistically}): then a racing removal may make the copy hold another value's bytes,
   * which the caller finds out by validating (see {@link WeakRef}).
   */
  void copyOut(long address, byte[] copy) {
    allocator.read(address, copy);
  }
}
