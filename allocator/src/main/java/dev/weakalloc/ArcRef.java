package dev.weakalloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * A pin on a value in a {@link WeakAlloc}, like Rust's {@code Arc}: while any {@code ArcRef} of a
 * value is open, the value is neither evicted nor freed. Close it when done, best with
 * try-with-resources:
 *
 * <pre>{@code
 * try (ArcRef<byte[]> pinned = ref.upgrade().orElseThrow()) {
 *   ByteView bytes = pinned.bytes();   // zero-copy, valid until close()
 *   byte first = bytes.get(0);
 * }
 * }</pre>
 *
 * <p>An {@code ArcRef} that becomes unreachable without {@code close()} is unpinned once the
 * garbage collector finds it (a phantom reference, as a {@link Cleaner} uses), counted in {@link
 * WeakAllocStats#leakedPins()} and logged once per allocator: a leak does not pin memory for ever,
 * but it pins it until the garbage collector notices. Every {@code ArcRef} is tracked, none
 * sampled; {@link WeakRef#readIfPresent} reads in place with no {@code ArcRef} to track.
 *
 * <h2>Thread safety</h2>
 * Any thread may read through an {@code ArcRef} or close it; {@code close()} is idempotent. Closing
 * must happen-after the reads made through the pin and its {@link ByteView}s; after that, every
 * access throws {@link IllegalStateException}.
 *
 * <h2>Memory ownership</h2>
 * The {@code WeakAlloc} owns the bytes; the pin borrows them until {@code close()}. If the value
 * is freed while pinned (an explicit free, a clear), its memory is released when the last pin
 * closes.
 *
 * @param <T> the type of the value
 */
public final class ArcRef<T> implements AutoCloseable {
  private final WeakRef<T> ref;
  private final Unpin unpin;
  /** The same object as {@code unpin}: the end of this pin, run once by close or by a leak. */
  private final Cleaner.Cleanable cleanable;

  /** Adopts one pin already taken on {@code ref}. */
  ArcRef(WeakRef<T> ref) {
    this.ref = ref;
    this.unpin = new Unpin(this, ref);
    this.cleanable = unpin;
    ref.addArcPin();
  }

  /**
   * {@return a freshly decoded copy of the value}
   *
   * @throws IllegalStateException if this pin is closed
   * @throws CodecException if the codec fails
   */
  public T get() {
    checkOpen();
    try {
      return ref.decode();
    } finally {
      // A leaked pin must not become unreachable, and be cleaned and unpinned, mid-decode.
      Reference.reachabilityFence(this);
    }
  }

  /**
   * {@return a zero-copy read-only view of the value's bytes, valid until this pin closes}
   *
   * @throws IllegalStateException if this pin is closed
   */
  public ByteView bytes() {
    checkOpen();
    return new ByteView(this, ref.segment());
  }

  /** {@return the weak handle of this value} Works after close too. */
  public WeakRef<T> downgrade() {
    return ref;
  }

  /** {@return the size of the encoded value in bytes} */
  public long byteSize() {
    return ref.byteSize();
  }

  /** {@return whether this pin is still open} */
  public boolean isOpen() {
    return !unpin.closed && !ref.owner.isClosed();
  }

  /** Drops this pin. Idempotent. */
  @Override
  public void close() {
    cleanable.clean(); // ends the pin at most once
    // Reachable until the reference is cleared: a pin being closed is never taken for a leak.
    Reference.reachabilityFence(this);
  }

  void checkOpen() {
    if (unpin.closed) {
      throw new IllegalStateException("ArcRef is closed");
    }
    if (ref.owner.isClosed()) {
      throw new IllegalStateException("the WeakAlloc is closed");
    }
  }

  @Override
  public String toString() {
    return "ArcRef[" + ref.byteSize() + " bytes, " + (isOpen() ? "open" : "closed") + "]";
  }

  /**
   * The end of a pin, tracked by the {@link LeakTracker}: a phantom reference to the {@code
   * ArcRef} (never a strong one), run once, by the first {@code close()} or, for a leak, by the
   * tracker's thread; the {@code closed} flag's compare-and-set decides which.
   */
  private static final class Unpin extends LeakTracker.Tracked implements Cleaner.Cleanable {
    private static final VarHandle CLOSED;

    static {
      try {
        CLOSED = MethodHandles.lookup().findVarHandle(Unpin.class, "closed", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final WeakRef<?> ref;
    volatile boolean closed;

    Unpin(ArcRef<?> pin, WeakRef<?> ref) {
      super(pin);
      this.ref = ref;
      LeakTracker.track(this);
    }

    /** Closes the pin, once: the reference is cleared, so the collector never enqueues it. */
    @Override
    public void clean() {
      if (CLOSED.compareAndSet(this, false, true)) {
        clear();
        end();
      }
    }

    /** The garbage collector got here first: a leak. From the tracker's thread. */
    @Override
    void leaked() {
      if (CLOSED.compareAndSet(this, false, true)) {
        ref.owner.reportLeakedPin();
        end();
      }
    }

    private void end() {
      LeakTracker.untrack(this);
      ref.removeArcPin();
      ref.unpin();
    }
  }
}
