package dev.weakalloc;

import dev.weakalloc.internal.GuardedBy;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Optional;

/**
 * A handle to a value given to a {@link WeakAlloc}, like Rust's {@code std::sync::Weak}: it does
 * not keep the value alive. {@link #upgrade()} pins the value and returns an {@link ArcRef} while
 * the value is still there; once it was evicted, freed or cleared, upgrading returns empty for
 * ever.
 *
 * <h2>Thread safety</h2>
 * Thread-safe: any thread may upgrade, read or free at any time. Pinning is one atomic add on
 * this handle and takes no lock; a validated read ({@link #getIfPresent()} over a region) writes
 * nothing to it. A use is recorded in a lossy buffer and applied to the recency order in batches.
 *
 * <h2>Memory ownership</h2>
 * The {@code WeakAlloc} owns the value's block. Nothing read from it is returned or decoded unless
 * the value was there for the whole read: an {@link #upgrade()} pins first, and {@link
 * #getIfPresent()} either pins or, over memory that stays mapped, validates its copy afterwards
 * (bytes copied from a block freed and reused meanwhile are discarded).
 *
 * <h2>Implementation notes</h2>
 * {@code state} is the pin count, with the sign bit ({@link #RETIRED}) set once the value is
 * removed (evicted, freed, cleared) and bit 30 ({@link #RELEASED}) set once its block is handed
 * back. A pin is one atomic add of 1: if the state was not negative, the value is pinned;
 * otherwise it was removed, and the thread takes its add back as an unpin (a transient "phantom"
 * pin that never reads the block). An eviction is a CAS from exactly 0 to {@code
 * RETIRED|RELEASED}; an explicit free sets {@code RETIRED} whatever the count (and {@code RELEASED}
 * too when the count is 0). An unpin that leaves exactly {@code RETIRED} (removed, no pins,
 * phantom or real) releases with a CAS to {@code RETIRED|RELEASED}. Whoever sets {@code RELEASED}
 * releases the block, under the allocator's lock or through its deferred stack: the evictor, the
 * freeing thread, or the thread that drops the last pin. So a block is released exactly once and
 * never while pinned, and a hit costs two atomic adds on the handle, with no read before them.
 *
 * @param <T> the type of the value
 */
public final class WeakRef<T> {
  static final int RETIRED = Integer.MIN_VALUE;
  static final int RELEASED = 1 << 30;
  private static final int PIN_MASK = RELEASED - 1;

  private static final VarHandle STATE;
  private static final VarHandle ARC_PINS;
  private static final VarHandle EXPIRES_AT;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(WeakRef.class, "state", int.class);
      ARC_PINS = MethodHandles.lookup().findVarHandle(WeakRef.class, "arcPins", int.class);
      EXPIRES_AT = MethodHandles.lookup().findVarHandle(WeakRef.class, "expiresAt", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final WeakAlloc owner;
  final Codec<T> codec;
  final long address;
  /** The bytes the block really takes, header and any unsplit remainder included. */
  final long blockBytes;

  private final long byteSize;
  private final Object tag;

  @SuppressWarnings("unused") // accessed through STATE
  private volatile int state;

  /** Open ArcRefs, for the pinned-bytes gauge; transient pins of reads are not counted. */
  @SuppressWarnings("unused") // accessed through ARC_PINS
  private volatile int arcPins;

  /** The holder's expiry time; see {@link #expiresAt()}. */
  private volatile long expiresAt;

  // Guarded by owner.lock: the slot in the recency order (-1 when not in it), the access tick and
  // the owner id. Read without it: the access tick by RecencyKeeper.recordAccess (a benign race,
  // see there), and the id of a popped block by the thread that owns the block (see OwnerIds).
  @GuardedBy("WeakAlloc.lock")
  int recencySlot = -1;
  @GuardedBy("WeakAlloc.lock")
  long accessTick;
  @GuardedBy("WeakAlloc.lock")
  int id = -1;
  /** What the owner's admission policy counts for this value, or {@code AdmissionPolicy.NO_HASH}. */
  long admissionHash = AdmissionPolicy.NO_HASH;
  /** Link in the owner's stack of values to release; written before the push that publishes it. */
  WeakRef<?> nextReleasable;
  /**
   * For a value given without the lock: the removed value whose block it took, which the lock
   * holder takes off the recency order when it enters this one. Written before the write buffer
   * publishes this value; cleared by the lock holder.
   */
  WeakRef<?> replaces;

  WeakRef(
      WeakAlloc owner,
      Codec<T> codec,
      Object tag,
      long address,
      long byteSize,
      long blockBytes) {
    this.owner = owner;
    this.codec = codec;
    this.tag = tag;
    this.address = address;
    this.byteSize = byteSize;
    this.blockBytes = blockBytes;
    STATE.setRelease(this, 1); // born pinned by the thread that writes it
  }

  /**
   * Pins the value if it is still there, and counts this as a use for the recency order.
   *
   * @return an open pin, to be closed by the caller (try-with-resources), or empty if the value was
   *     evicted, freed or cleared
   */
  public Optional<ArcRef<T>> upgrade() {
    if (!tryPin()) {
      return Optional.empty();
    }
    owner.recordAccess(this);
    return Optional.of(new ArcRef<>(this));
  }

  /**
   * Decodes the value if it is still there, and counts this as a use. Cheaper than {@code
   * upgrade().map(ArcRef::get)}: no {@code ArcRef} is made.
   *
   * <p>Where the inner allocator's freed memory {@linkplain MemoryAllocator#freedMemoryStaysMapped
   * stays mapped} (the region), this writes nothing to the handle: it copies the bytes to the
   * heap, then validates the copy (the value was not removed meanwhile), and decodes the copy with
   * {@link Codec#decodeCopy}. Elsewhere it pins the value for the decode.
   *
   * @return a freshly decoded value, or null if the value was evicted, freed or cleared
   * @throws CodecException if the codec fails
   * @throws IllegalStateException if the allocator is closed
   */
  public T getIfPresent() {
    if (owner.readsOptimistically) {
      return readValidated();
    }
    if (!tryPin()) {
      return null;
    }
    try {
      MemorySegment bytes = segment(); // outside the decode's try: an allocator failure is no codec's
      try {
        return codec.decode(bytes);
      } catch (RuntimeException e) {
        throw decodeFailure(e);
      }
    } finally {
      unpin();
      owner.recordAccess(this);
    }
  }

  /**
   * Pins the value for the length of one call of {@code reader}, which reads its bytes in place,
   * and counts this as a use; cheaper than {@link #upgrade()}: no {@code ArcRef}, no leak tracking.
   * The pin is one atomic add on this handle, dropped (one more) when the reader returns or throws.
   *
   * {@snippet id="read-if-present" :
   * WeakRef<byte[]> ref = alloc.give(new byte[] {1, 2, 3}, Codecs.bytes());
   * Integer sum = ref.readIfPresent(bytes -> {
   *   int total = 0;
   *   for (long i = 0; i < bytes.size(); i++) {
   *     total += bytes.get(i);
   *   }
   *   return total; // a result made from the bytes, never the view
   * });
   * // sum is 6, or null had the value been evicted
   * }
   *
   * <p><b>Thread safety.</b> Any thread may call this, concurrently with any other operation on the
   * value or the allocator. The reader runs on the calling thread; while it runs, the value is
   * neither evicted nor freed (a free is deferred to the end of the read), so keep it short: a
   * give that needs the value's block waits for the read, and gives up (fails as if the value were
   * pinned by an {@code ArcRef}) after a second. Hold an {@code ArcRef} instead for longer work.
   *
   * <p><b>Memory ownership.</b> The view belongs to this call: it is closed before the pin is
   * dropped, so a view that escapes (kept in a field, returned, captured) throws {@link
   * IllegalStateException} on every access; the memory it viewed is never read through it again.
   * Use from another thread is allowed only if it happens-before the reader returns: a use that
   * races the return may read the block after its release. An {@code InputStream} taken from the
   * view throws the same unchecked {@code IllegalStateException}, not an {@code IOException}.
   *
   * <p><b>Reentrancy.</b> The reader may read other values and give new ones, but a give that
   * needs this value's own block waits for this read, which waits for it: it fails after the
   * second that a give waits for pins.
   *
   * <p><b>Null.</b> This returns null both for a value that is gone and for a reader that returned
   * null; a caller that must tell them apart should have its reader return something non-null
   * (null keeps this call free of the allocation an {@code Optional} would take, like {@link
   * #getIfPresent()}).
   *
   * @param reader called once, with the pinned value's bytes, if the value is still there
   * @param <R> the type of the result
   * @return what {@code reader} returned, or null if the value was evicted, freed or cleared (or
   *     the allocator closed) before the pin; then the reader is not called
   * @throws IllegalStateException from the view, if the allocator closes during the read
   * @throws RuntimeException whatever the reader throws, as it is, after the pin was dropped
   */
  public <R> R readIfPresent(ByteReader<? extends R> reader) {
    Objects.requireNonNull(reader, "reader");
    if (!tryPin()) {
      return null;
    }
    try {
      ByteView bytes = new ByteView(owner, segment());
      try {
        return reader.read(bytes);
      } finally {
        bytes.end(); // before the unpin: once the block may be released, the view throws
      }
    } finally {
      unpin();
      owner.recordAccess(this); // after the unpin, as getIfPresent: a drain it runs pins nothing
    }
  }

  /**
   * A validated optimistic read, as {@link java.util.concurrent.locks.StampedLock#validate}: the
   * state is read, the bytes copied, an acquire fence keeps the copy's loads before the second read
   * of the state, which must still not be retired. {@code RETIRED} is sticky and a handle never
   * reused, and the block is released (and may be reused and overwritten) only after the value
   * was retired: so a copy that validates holds only this value's bytes. A copy that does not is
   * discarded, never decoded. The block's memory stays mapped until the allocator closes, so the
   * copy never faults; a close during the copy makes it throw.
   */
  private T readValidated() {
    if ((int) STATE.getAcquire(this) < 0) {
      return null;
    }
    byte[] copy = new byte[(int) byteSize];
    try {
      owner.copyOut(address, copy);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("the WeakAlloc is closed", e);
    }
    VarHandle.acquireFence();
    if ((int) STATE.getVolatile(this) < 0) {
      return null; // removed during the copy: the bytes may be another value's
    }
    owner.recordAccess(this);
    try {
      return codec.decodeCopy(copy);
    } catch (RuntimeException e) {
      throw decodeFailure(e);
    }
  }

  /**
   * {@return what a failed decode throws} A {@link CodecException} as it is; the allocator closing
   * under a read as {@link IllegalStateException}; anything else the codec threw wrapped in a
   * {@code CodecException} that names the codec and the size, so that a codec's own {@code
   * IllegalStateException} is never taken for a closed allocator.
   */
  private RuntimeException decodeFailure(RuntimeException e) {
    if (e instanceof CodecException) {
      return e;
    }
    if (owner.isClosed()) {
      return new IllegalStateException("the WeakAlloc is closed", e);
    }
    return new CodecException("codec " + codec + " failed to decode a value of " + byteSize + " bytes", e);
  }

  /**
   * {@return whether the value may still be upgraded} A true answer may be stale by the time it is
   * read; only {@link #upgrade()} says for sure.
   */
  public boolean isPresent() {
    return (int) STATE.getVolatile(this) >= 0;
  }

  /** {@return the size of the encoded value in bytes} Readable after removal too. */
  public long byteSize() {
    return byteSize;
  }

  /** {@return the tag given with the value, or null} Readable after removal too. */
  public Object tag() {
    return tag;
  }

  /**
   * {@return the codec given with the value, which encoded it and decodes it} A value stored by the
   * JCache provider answers the provider's per-cache wrapper of the configured codec.
   */
  public Codec<T> codec() {
    return codec;
  }

  /**
   * {@return the time after which the holder of this handle takes the value as expired, in the
   * holder's own clock; 0 until {@linkplain #setExpiresAt set}} The allocator never reads it and
   * never expires a value by time: it is room in the handle for the holder's expiry, so that a
   * cache needs no object of its own beside the handle (the JCache provider keeps each mapping's
   * expiry here). It is 0 on every new handle, including one that admission refused. Any thread
   * may read it.
   */
  public long expiresAt() {
    return expiresAt;
  }

  /**
   * Sets the time {@link #expiresAt()} returns. Any thread; concurrent writers race and the last
   * one wins, as accesses that move an expiry do in any cache. A release write, with no full
   * fence: set before the handle is published (put in a concurrent map), the time is seen by every
   * thread that takes the handle from there; set later (an access that moves the expiry), it is
   * seen by readers soon, not at once, which an expiry tolerates.
   */
  public void setExpiresAt(long expiresAt) {
    EXPIRES_AT.setRelease(this, expiresAt);
  }

  /** {@return the allocator that owns the value} */
  public WeakAlloc allocator() {
    return owner;
  }

  @Override
  public String toString() {
    return "WeakRef[" + byteSize + " bytes, " + (isPresent() ? "present" : "removed") + "]";
  }

  // --- pin protocol (see the implementation notes) ---

  boolean tryPin() {
    if ((int) STATE.getAndAdd(this, 1) >= 0) {
      return true;
    }
    unpin(); // removed: take the phantom pin back
    return false;
  }

  /** Drops one pin; releases the block if it was removed and this was the last pin. */
  void unpin() {
    if ((int) STATE.getAndAdd(this, -1) - 1 == RETIRED
        && STATE.compareAndSet(this, RETIRED, RETIRED | RELEASED)) {
      owner.releaseRemoved(this);
    }
  }

  /** Counts a new open ArcRef; the first one adds this value to the allocator's pinned bytes. */
  void addArcPin() {
    if ((int) ARC_PINS.getAndAdd(this, 1) == 0) {
      owner.addPinnedBytes(byteSize);
    }
  }

  /** Counts a closed ArcRef; the last one takes this value out of the pinned bytes. */
  void removeArcPin() {
    if ((int) ARC_PINS.getAndAdd(this, -1) == 1) {
      owner.addPinnedBytes(-byteSize);
    }
  }

  /** Evicts: succeeds only if unpinned and present; the caller releases. Under owner.lock. */
  boolean tryRetireUnpinned() {
    return STATE.compareAndSet(this, 0, RETIRED | RELEASED);
  }

  /**
   * Marks the value removed whatever its pins.
   *
   * @return -1 if it was already removed, else the pin count it had (0 means: the caller
   *     releases now; otherwise the last unpin will)
   */
  int retire() {
    int s;
    do {
      s = (int) STATE.getVolatile(this);
      if (s < 0) {
        return -1;
      }
    } while (!STATE.weakCompareAndSet(this, s, s == 0 ? RETIRED | RELEASED : s | RETIRED));
    return s;
  }

  /** {@return the open ArcRefs of this value: pins that are not a read or write in progress} */
  int arcPins() {
    return (int) ARC_PINS.getVolatile(this);
  }

  int pins() {
    return (int) STATE.getVolatile(this) & PIN_MASK;
  }

  /**
   * {@return a read-only view of the value's bytes} Made on each call, not kept: a handle holds
   * the block's address only, and the allocator's chunk table maps it to memory. Only read while
   * pinned.
   */
  MemorySegment segment() {
    return owner.segmentOf(address, byteSize);
  }

  T decode() {
    MemorySegment bytes = segment(); // outside the try: an allocator failure is no codec's
    try {
      return codec.decode(bytes);
    } catch (RuntimeException e) {
      throw decodeFailure(e);
    }
  }
}
