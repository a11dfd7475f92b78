package dev.weakalloc;

import java.util.Arrays;

/** Values and sizes shared by the allocator tests. */
final class TestValues {
  private TestValues() {}

  /** Region and chunk size of the small allocators used by most tests: one 64 KiB chunk. */
  static final long REGION = 64 << 10;

  /** A payload whose region block is exactly 4 KiB (16-byte header), so 16 fill the region. */
  static final int BLOCK_PAYLOAD = 4096 - 16;

  /** Values of {@link #BLOCK_PAYLOAD} bytes that fill a {@link #REGION} exactly. */
  static final int PER_REGION = (int) (REGION / 4096);

  /** {@return a weak allocator over one 64 KiB region chunk} */
  static WeakAlloc smallAlloc() {
    return WeakAlloc.over(MemoryAllocator.region(REGION, REGION));
  }

  /** Where {@link #collectGarbage} drops what it allocates. */
  private static volatile Object sink;

  /**
   * Makes the garbage collector run, also under {@code -XX:+DisableExplicitGC}: asks with {@code
   * System.gc()}, then allocates 1 MiB arrays until a weakly reachable sentinel was cleared, that
   * is until a collection happened (at most 8 GiB worth).
   */
  static void collectGarbage() {
    java.lang.ref.WeakReference<Object> sentinel = new java.lang.ref.WeakReference<>(new Object());
    System.gc();
    for (int i = 0; i < 8192 && sentinel.get() != null; i++) {
      sink = new byte[1 << 20];
    }
    sink = null;
  }

  /** {@return {@code size} bytes of a pattern that depends on {@code seed}} */
  static byte[] pattern(int size, int seed) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (seed * 31 + i * 7 + (i >>> 8));
    }
    return bytes;
  }

  /** {@return whether {@code bytes} is {@code pattern(bytes.length, seed)}} */
  static boolean isPattern(byte[] bytes, int seed) {
    return bytes != null && Arrays.equals(bytes, pattern(bytes.length, seed));
  }
}
