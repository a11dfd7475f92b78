package dev.weakalloc.samples.region;

/**
 * Surface heights of a generated world: smooth value noise in two octaves, deterministic from the
 * seed. Heights fall in [40, 90), around the sea level of 63, so that the surface crosses one or
 * two 16-block sections per chunk.
 *
 * <p>Immutable; thread-safe.
 */
final class Terrain {
  static final int SEA_LEVEL = 63;

  private final long seed;

  Terrain(long seed) {
    this.seed = seed;
  }

  /** {@return the y of the first air block above the ground at block column {@code (x, z)}} */
  int height(int x, int z) {
    double broad = noise(x, z, 64, 0);
    double detail = noise(x, z, 12, 1);
    return 40 + (int) (38 * broad + 11 * detail);
  }

  /** Value noise in [0, 1): hashes at the corners of a {@code cell} grid, smoothly blended. */
  private double noise(int x, int z, int cell, int octave) {
    int cx = Math.floorDiv(x, cell);
    int cz = Math.floorDiv(z, cell);
    double fx = smooth((x - cx * (double) cell) / cell);
    double fz = smooth((z - cz * (double) cell) / cell);
    double top = lerp(corner(cx, cz, octave), corner(cx + 1, cz, octave), fx);
    double bottom = lerp(corner(cx, cz + 1, octave), corner(cx + 1, cz + 1, octave), fx);
    return lerp(top, bottom, fz);
  }

  private double corner(int cx, int cz, int octave) {
    return Seeds.unit(Seeds.mix(seed, cx, cz, octave));
  }

  private static double smooth(double t) {
    return t * t * (3 - 2 * t);
  }

  private static double lerp(double a, double b, double t) {
    return a + (b - a) * t;
  }
}
