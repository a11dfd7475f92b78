package dev.weakalloc.samples.region;

/**
 * Packs small unsigned values into longs the way Minecraft 1.16+ stores block states and
 * heightmaps: {@code 64 / bits} values per long, from the least significant bits up, none
 * straddling two longs.
 *
 * <p>Stateless; thread-safe.
 */
final class PackedArray {
  private PackedArray() {}

  /** {@return {@code values} packed at {@code bits} bits each} */
  static long[] pack(int[] values, int bits) {
    int perLong = 64 / bits;
    long[] packed = new long[Math.ceilDiv(values.length, perLong)];
    for (int i = 0; i < values.length; i++) {
      packed[i / perLong] |= (long) values[i] << (i % perLong * bits);
    }
    return packed;
  }

  /** {@return the value at {@code index} of an array packed at {@code bits} bits} */
  static int get(long[] packed, int bits, int index) {
    int perLong = 64 / bits;
    return (int) (packed[index / perLong] >>> (index % perLong * bits) & ((1L << bits) - 1));
  }
}
