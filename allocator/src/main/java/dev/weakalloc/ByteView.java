package dev.weakalloc;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A zero-copy, read-only view of a pinned value's bytes, valid while the {@link ArcRef} it came
 * from is open, or, for the view a {@link ByteReader} is given, until the {@linkplain
 * WeakRef#readIfPresent scoped read} returns.
 *
 * <p>Every access checks the pin: once the {@code ArcRef} is closed or the scoped read has
 * returned, each method throws {@link IllegalStateException}, so a view kept past its pin never
 * reads freed memory.
 *
 * <h2>Thread safety</h2>
 * Any thread may read through a view. Closing its {@code ArcRef}, or the return of the scoped
 * read, must happen-after the reads made through it (as with a shared {@link
 * java.lang.foreign.Arena}): a read racing with the end of the pin is a bug in the caller.
 *
 * <h2>Memory ownership</h2>
 * The bytes belong to the {@link WeakAlloc}; the view borrows them for the life of the pin.
 */
public final class ByteView {
  /** The pin of a view from {@link ArcRef#bytes()}; null for a scoped read's view. */
  private final ArcRef<?> pin;
  /** The allocator of a scoped read's view; null for an {@code ArcRef}'s. */
  private final WeakAlloc scopeOwner;
  private final MemorySegment bytes;
  /** Set when a scoped read returns or throws; never for an {@code ArcRef}'s view. */
  private volatile boolean ended;

  ByteView(ArcRef<?> pin, MemorySegment bytes) {
    this.pin = pin;
    this.scopeOwner = null;
    this.bytes = bytes;
  }

  /** A scoped read's view: open until {@link #end()}, while the reading thread holds a pin. */
  ByteView(WeakAlloc scopeOwner, MemorySegment bytes) {
    this.pin = null;
    this.scopeOwner = scopeOwner;
    this.bytes = bytes;
  }

  /** Closes a scoped read's view, before its pin is dropped. */
  void end() {
    ended = true;
  }

  private void checkOpen() {
    if (pin != null) {
      pin.checkOpen();
      return;
    }
    if (ended) {
      throw new IllegalStateException("ByteView used after its scoped read returned");
    }
    if (scopeOwner.isClosed()) {
      throw new IllegalStateException("the WeakAlloc is closed");
    }
  }

  /**
   * {@return the number of bytes}
   *
   * @throws IllegalStateException if the pin is closed
   */
  public long size() {
    checkOpen();
    return bytes.byteSize();
  }

  /**
   * {@return the byte at {@code index}}
   *
   * @throws IndexOutOfBoundsException if index is outside the value
   * @throws IllegalStateException if the pin is closed
   */
  public byte get(long index) {
    checkOpen();
    try {
      return bytes.get(ValueLayout.JAVA_BYTE, index);
    } finally {
      Reference.reachabilityFence(this); // keeps a leaked pin from being cleaned mid-read
    }
  }

  /**
   * Copies {@code length} bytes starting at {@code offset} into {@code target}.
   *
   * @throws IndexOutOfBoundsException if either range is out of bounds
   * @throws IllegalStateException if the pin is closed
   */
  public void copyTo(long offset, byte[] target, int targetOffset, int length) {
    checkOpen();
    try {
      MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, offset, target, targetOffset, length);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Copies as many bytes as fit, from {@code offset}, into the remaining space of {@code target},
   * advancing its position.
   *
   * @return the number of bytes copied
   * @throws IllegalStateException if the pin is closed
   */
  public int copyTo(long offset, ByteBuffer target) {
    checkOpen();
    Objects.checkIndex(offset, bytes.byteSize() + 1);
    int length = (int) Math.min(target.remaining(), bytes.byteSize() - offset);
    try {
      MemorySegment.ofBuffer(target).copyFrom(bytes.asSlice(offset, length));
    } finally {
      Reference.reachabilityFence(this);
    }
    target.position(target.position() + length);
    return length;
  }

  /**
   * {@return a fresh heap copy of all the bytes}
   *
   * @throws IllegalStateException if the pin is closed, or the value is over 2 GiB
   */
  public byte[] toArray() {
    checkOpen();
    try {
      return bytes.toArray(ValueLayout.JAVA_BYTE);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * {@return a stream over the bytes; reading it after the pin closes throws
   * IllegalStateException}
   */
  public InputStream asInputStream() {
    checkOpen();
    return new ViewInputStream();
  }

  private final class ViewInputStream extends InputStream {
    private long position;
    private long mark;

    @Override
    public int read() {
      if (position >= size()) {
        return -1;
      }
      return get(position++) & 0xFF;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, target.length);
      long left = size() - position;
      if (length == 0) {
        return 0;
      }
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(length, left);
      copyTo(position, target, offset, n);
      position += n;
      return n;
    }

    @Override
    public long skip(long n) {
      long skipped = Math.max(0, Math.min(n, size() - position));
      position += skipped;
      return skipped;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, size() - position);
    }

    @Override
    public boolean markSupported() {
      return true;
    }

    @Override
    public void mark(int readLimit) {
      mark = position;
    }

    @Override
    public void reset() {
      position = mark;
    }
  }
}
