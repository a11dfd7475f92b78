package dev.weakalloc.samples.region;

import dev.weakalloc.ByteView;

/**
 * Bytes that can be copied out by range: a heap array, or a pinned off-heap value read without
 * copying the rest of it. Lets {@link UncompressedRegion} read one chunk from either.
 *
 * <p>As thread-safe as the bytes behind it.
 */
public interface ByteSource {
  /** {@return the number of bytes} */
  long size();

  /**
   * Copies {@code length} bytes from {@code offset} into {@code target} at {@code targetOffset}.
   *
   * @throws IndexOutOfBoundsException if either range is out of bounds
   */
  void copyTo(long offset, byte[] target, int targetOffset, int length);

  /** {@return a source over {@code bytes}, not copied} */
  static ByteSource of(byte[] bytes) {
    return new ByteSource() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public void copyTo(long offset, byte[] target, int targetOffset, int length) {
        System.arraycopy(bytes, Math.toIntExact(offset), target, targetOffset, length);
      }
    };
  }

  /**
   * {@return a source over a pinned value's bytes}
   *
   * @apiNote valid while the view's {@link dev.weakalloc.ArcRef} is open; after that each method
   *     throws {@link IllegalStateException}
   */
  static ByteSource of(ByteView view) {
    return new ByteSource() {
      @Override
      public long size() {
        return view.size();
      }

      @Override
      public void copyTo(long offset, byte[] target, int targetOffset, int length) {
        view.copyTo(offset, target, targetOffset, length);
      }
    };
  }
}
