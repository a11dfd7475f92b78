package dev.weakalloc.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.SplittableRandom;

/**
 * Precomputed inputs shared by the benchmarks: boxed keys, log-uniform value sizes, Zipf streams,
 * and the Caffeine cache built at a byte budget. Everything is derived from a seed, so runs and
 * both sides of a comparison see the same inputs. Stateless; thread-safe.
 */
final class Workloads {
  private Workloads() {}

  /** {@return {@code count} boxed keys 0..count-1, so that measured code never boxes} */
  static Integer[] keys(int count) {
    Integer[] keys = new Integer[count];
    for (int i = 0; i < count; i++) {
      keys[i] = i;
    }
    return keys;
  }

  /** {@return {@code count} uniform indices in [0, bound)} */
  static int[] uniformIndices(int count, int bound, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] indices = new int[count];
    for (int i = 0; i < count; i++) {
      indices[i] = random.nextInt(bound);
    }
    return indices;
  }

  /**
   * {@return {@code count} sizes drawn log-uniformly from [min, max]}: each power of two between
   * them is equally likely, so small values are many and large values hold most of the bytes.
   */
  static int[] logUniformSizes(int count, int min, int max, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double logMin = Math.log(min);
    double logMax = Math.log(max);
    int[] sizes = new int[count];
    for (int i = 0; i < count; i++) {
      double size = Math.exp(logMin + random.nextDouble() * (logMax - logMin));
      sizes[i] = (int) Math.min(max, Math.max(min, Math.round(size)));
    }
    return sizes;
  }

  /**
   * {@return a stream of {@code requests} keys in [0, keyCount) whose ranks follow a Zipf law of
   * the given exponent} Rank {@code r} (1-based) has probability proportional to {@code r^-s};
   * ranks are mapped to keys through a seeded permutation so that hot keys are not neighbours.
   * Sampling inverts the cumulative distribution by binary search: exact, and cheap enough for a
   * precomputed stream.
   */
  static int[] zipfStream(int requests, int keyCount, double exponent, long seed) {
    double[] cdf = new double[keyCount];
    double sum = 0;
    for (int rank = 1; rank <= keyCount; rank++) {
      sum += Math.pow(rank, -exponent);
      cdf[rank - 1] = sum;
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] keyOfRank = permutation(keyCount, random);
    int[] stream = new int[requests];
    for (int i = 0; i < requests; i++) {
      double u = random.nextDouble() * sum;
      int rank = java.util.Arrays.binarySearch(cdf, u);
      stream[i] = keyOfRank[rank >= 0 ? rank : -rank - 1];
    }
    return stream;
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** {@return a byte array of {@code size} bytes, filled so that it is not all zeros} */
  static byte[] filled(int size, int seed) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return bytes;
  }

  /**
   * {@return a Caffeine cache bounded by {@code budgetBytes} of value bytes} The weigher counts
   * the array length only (no per-entry overhead), and maintenance runs on the calling thread.
   */
  static Cache<Integer, byte[]> caffeine(long budgetBytes) {
    return Caffeine.newBuilder()
        .maximumWeight(budgetBytes)
        .weigher((Integer key, byte[] value) -> value.length)
        .executor(Runnable::run)
        .build();
  }
}
