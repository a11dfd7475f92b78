package dev.weakalloc;

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
 * <p>An {@code ArcRef} that becomes unreachable without {@code close()} is unpinned by a {@link
 * Cleaner}, counted in {@link WeakAllocStats#leakedPins()} and logged once per allocator: a leak
 * does not pin memory for ever, but it pins it until the garbage collector notices.
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
  /**
   * Cleaners striped by thread: a {@link Cleaner} keeps its registrations in one list under one
   * lock, which every pinning thread would otherwise contend on. Each has an idle daemon thread.
   */
  private static final Cleaner[] CLEANERS = newCleaners();

  private final WeakRef<T> ref;
  private final Unpin unpin;
  private final Cleaner.Cleanable cleanable;

  /** Adopts one pin already taken on {@code ref}. */
  ArcRef(WeakRef<T> ref) {
    this.ref = ref;
    this.unpin = new Unpin(ref);
    this.cleanable = cleanerFor(Thread.currentThread()).register(this, unpin);
    ref.addArcPin();
  }

  private static Cleaner[] newCleaners() {
    int count = Integer.highestOneBit(Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 8));
    Cleaner[] cleaners = new Cleaner[count];
    var threads = Thread.ofPlatform().daemon().name("weakalloc-pin-cleaner-", 0).factory();
    for (int i = 0; i < count; i++) {
      cleaners[i] = Cleaner.create(threads);
    }
    return cleaners;
  }

  private static Cleaner cleanerFor(Thread thread) {
    long id = thread.threadId();
    return CLEANERS[(int) (id ^ (id >>> 7)) & (CLEANERS.length - 1)];
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
    unpin.closed = true;
    cleanable.clean(); // runs Unpin at most once
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

  /** The cleaning action: holds the handle, never the ArcRef. */
  private static final class Unpin implements Runnable {
    private final WeakRef<?> ref;
    volatile boolean closed;

    Unpin(WeakRef<?> ref) {
      this.ref = ref;
    }

    @Override
    public void run() {
      if (!closed) { // the garbage collector got here first: a leak
        closed = true;
        ref.owner.reportLeakedPin();
      }
      ref.removeArcPin();
      ref.unpin();
    }
  }
}
