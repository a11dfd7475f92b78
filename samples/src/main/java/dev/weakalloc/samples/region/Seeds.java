package dev.weakalloc.samples.region;

/**
 * Derives independent, well-mixed seeds from a world seed and coordinates (SplitMix64's
 * finaliser), so that every generated thing is deterministic yet uncorrelated.
 *
 * <p>Stateless; thread-safe.
 */
final class Seeds {
  private Seeds() {}

  /** {@return a 64-bit hash of the seed and the three values} */
  static long mix(long seed, int a, int b, int c) {
    long h = seed;
    h = finish(h + 0x9E3779B97F4A7C15L * (a + 1));
    h = finish(h + 0x9E3779B97F4A7C15L * (b + 1));
    return finish(h + 0x9E3779B97F4A7C15L * (c + 1));
  }

  /** {@return a uniform double in [0, 1) from the hash} */
  static double unit(long hash) {
    return (hash >>> 11) * 0x1.0p-53;
  }

  private static long finish(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
