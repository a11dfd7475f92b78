package dev.weakalloc;

import dev.weakalloc.internal.FrequencySketch;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * The decision of {@link Admission#TINY_LFU}: records how often hashes are seen, and says whether
 * a newcomer may displace the values a give planned to evict.
 *
 * <p>Frequency alone (TinyLFU without Caffeine's admission window) refuses a newcomer that is used
 * again and again right after its first use, such as the region a player walks into, until its
 * count passes the victims': in the region-file demo that made 453 misses where LRU made 164. So a
 * refused hash is remembered in a small direct-mapped table (S3-FIFO's ghost queue, in spirit),
 * and a newcomer refused recently is admitted when it comes back: the demo then made 145 misses,
 * and on Zipf 0.99 the hit ratio rose from 85.66 % to 85.84 %. A one-time access (a scan) is
 * still refused, as it never comes back.
 *
 * <p>Thread safety: not thread-safe; called under the owning {@link WeakAlloc}'s lock only.
 * Memory: the sketch, on the heap ({@link #byteSize()}).
 */
final class AdmissionPolicy {
  /** The hash of a value given without one: never recorded, always admitted, never seen. */
  static final long NO_HASH = Long.MIN_VALUE;
  /** A candidate this frequent may win against a more frequent victim, at random. */
  static final int WARM = 6;
  /** One warm candidate in 128 that would lose is admitted (Caffeine's hash-flooding defence). */
  private static final int RANDOM_ADMIT_MASK = 127;

  /**
   * The memory of recent refusals holds one hash per 2^GHOST_SHIFT longs of the sketch. Measured
   * (ProviderHitRatio, Zipf 0.99 at a quarter of the keys): 85.37 % with a slot per sketch long,
   * 85.84 % with one per 8, 85.85 % with one per 64; the demo's misses were 143 and 145 with 1 and 8.
   */
  static final int GHOST_SHIFT = 3;

  private FrequencySketch sketch = new FrequencySketch(0);
  /**
   * The hashes of newcomers refused recently, direct-mapped (a newer refusal takes the slot of an
   * older one), {@link #NO_HASH} where empty: a newcomer refused once and given again while its
   * refusal is still remembered is admitted.
   */
  private long[] refusedRecently = ghostFor(sketch);
  private final IntSupplier random;
  private long refused;

  AdmissionPolicy() {
    this(() -> ThreadLocalRandom.current().nextInt());
  }

  /** For tests: {@code random} decides the admissions of warm candidates that would lose. */
  AdmissionPolicy(IntSupplier random) {
    this.random = random;
  }

  /** Records one sighting of {@code hash} (a give or a hit); nothing for {@link #NO_HASH}. */
  void record(long hash) {
    if (hash != NO_HASH) {
      sketch.increment((int) hash);
    }
  }

  /**
   * Grows the sketch if the {@code values} held outgrew it, carrying over the counts of the values
   * held (the ones a newcomer will be compared with); the counts of others are forgotten. The
   * table only grows, by doubling, so this happens a few times while a region first fills.
   */
  void ensureCapacity(long values, RecencyList held) {
    if (values <= sketch.byteSize() / Long.BYTES) {
      return;
    }
    FrequencySketch grown = new FrequencySketch(values);
    FrequencySketch old = sketch;
    held.forEach(ref -> {
      if (ref.admissionHash != NO_HASH) {
        grown.raise((int) ref.admissionHash, old.frequency((int) ref.admissionHash));
      }
    });
    sketch = grown;
    refusedRecently = ghostFor(grown);
  }

  private static long[] ghostFor(FrequencySketch sketch) {
    long[] ghost = new long[(int) Math.max(16, sketch.byteSize() / Long.BYTES >> GHOST_SHIFT)];
    java.util.Arrays.fill(ghost, NO_HASH);
    return ghost;
  }

  /** {@return the estimated recent frequency of {@code hash}; 0 for {@link #NO_HASH}} */
  int frequency(long hash) {
    return hash == NO_HASH ? 0 : sketch.frequency((int) hash);
  }

  /**
   * {@return whether a newcomer of {@code candidateHash} may evict {@code victims}} It may if it
   * has no hash, or is more frequent than every victim, or is warm and wins the draw. A refusal is
   * counted.
   */
  boolean admits(long candidateHash, List<? extends WeakRef<?>> victims) {
    int hottest = 0;
    for (WeakRef<?> victim : victims) {
      hottest = Math.max(hottest, frequency(victim.admissionHash));
    }
    return decide(candidateHash, hottest);
  }

  /** {@return whether a newcomer of {@code candidateHash} may evict {@code victim}}; see above */
  boolean admits(long candidateHash, WeakRef<?> victim) {
    return decide(candidateHash, frequency(victim.admissionHash));
  }

  private boolean decide(long candidateHash, int victimFrequency) {
    if (candidateHash == NO_HASH) {
      return true;
    }
    int candidate = frequency(candidateHash);
    if (candidate > victimFrequency
        || (candidate >= WARM && (random.getAsInt() & RANDOM_ADMIT_MASK) == 0)) {
      return true;
    }
    int slot = FrequencySketch.spread((int) candidateHash) & (refusedRecently.length - 1);
    if (refusedRecently[slot] == candidateHash) {
      refusedRecently[slot] = NO_HASH;
      return true;
    }
    refusedRecently[slot] = candidateHash;
    refused++;
    return false;
  }

  /** {@return the newcomers refused so far} */
  long refused() {
    return refused;
  }

  /** {@return the heap bytes of the sketch} */
  long byteSize() {
    return sketch.byteSize() + 8L * refusedRecently.length;
  }
}
