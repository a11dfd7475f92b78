package dev.weakalloc.internal;

/**
 * A 4-bit count-min sketch that estimates how often a hash was recorded recently, after
 * Caffeine's {@code FrequencySketch} (TinyLFU, Einziger, Friedman and Manes, 2017): each record
 * adds one to four counters of one 64-byte block of the table, an estimate is the least of them,
 * and once ten records per counter block-row have been made every counter is halved, so that the
 * history ages and a value that was hot long ago does not stay hot for ever.
 *
 * <h2>Thread safety</h2>
 * Not thread-safe: the owner calls it under its lock (the weak allocator's admission runs under
 * the allocator's lock).
 *
 * <h2>Memory</h2>
 * On the heap: one {@code long} (sixteen 4-bit counters) per expected value, a power of two of
 * them, at least 64; {@link #ensureCapacity} grows it (clearing the history) up to 2<sup>22</sup>
 * longs (32 MiB). {@link #byteSize()} says what it takes now.
 *
 * <h2>Implementation notes</h2>
 * As in Caffeine: the caller's hash is spread by a strong mixer, whose low bits choose a block of
 * eight longs (one cache line) and whose rehash gives four 8-bit fields, each choosing one of two
 * longs of its quarter of the block and one of their sixteen counters. Counters saturate at 15.
 * The aging "reset" halves every counter and takes from the sample count half the records, less
 * a correction for the odd counters whose low bit the halving truncates.
 */
public final class FrequencySketch {
  private static final long RESET_MASK = 0x7777_7777_7777_7777L;
  private static final long ONE_MASK = 0x1111_1111_1111_1111L;
  /** The smallest table, in longs: eight blocks of one cache line. */
  static final int MIN_COUNTERS_LONGS = 64;
  /** The largest table, in longs (32 MiB). */
  static final int MAX_LONGS = 1 << 22;
  /** The highest count a counter reaches. */
  public static final int MAX_FREQUENCY = 15;

  private long[] table; // the counters: sixteen 4-bit counters a long
  private int blockMask;
  private int sampleSize;
  private int size;

  /** Creates a sketch for {@code expectedValues} distinct values (at least a small minimum). */
  public FrequencySketch(long expectedValues) {
    allocate(expectedValues);
  }

  /**
   * Grows the table if {@code expectedValues} outgrew it, forgetting the history (the old counts
   * would spread over other counters of a larger table; see {@link #raise} to carry some over).
   * Never shrinks.
   *
   * @return whether it grew
   */
  public boolean ensureCapacity(long expectedValues) {
    if (longsFor(expectedValues) <= table.length) {
      return false;
    }
    allocate(expectedValues);
    return true;
  }

  private void allocate(long expectedValues) {
    table = new long[longsFor(expectedValues)];
    blockMask = (table.length >>> 3) - 1;
    sampleSize = 10 * table.length;
    size = 0;
  }

  private static int longsFor(long expectedValues) {
    long wanted = Math.clamp(expectedValues, MIN_COUNTERS_LONGS, MAX_LONGS);
    return (int) Long.highestOneBit(wanted - 1) << 1;
  }

  /** {@return the heap bytes of the table} */
  public long byteSize() {
    return 8L * table.length;
  }

  /** {@return the records since the last halving (for tests)} */
  int sampleCount() {
    return size;
  }

  /** {@return the records after which every counter is halved} */
  public int sampleSize() {
    return sampleSize;
  }

  /** {@return the estimated recent count of {@code hash}, from 0 to {@link #MAX_FREQUENCY}} */
  public int frequency(int hash) {
    int blockHash = spread(hash);
    int counterHash = rehash(blockHash);
    int block = (blockHash & blockMask) << 3;
    int frequency = MAX_FREQUENCY;
    for (int i = 0; i < 4; i++) {
      int h = counterHash >>> (i << 3);
      int index = (h >>> 1) & 15;
      int slot = block + (h & 1) + (i << 1);
      frequency = Math.min(frequency, (int) ((table[slot] >>> (index << 2)) & 0xfL));
    }
    return frequency;
  }

  /** Records one occurrence of {@code hash}; halves every counter once the sample is full. */
  public void increment(int hash) {
    int blockHash = spread(hash);
    int counterHash = rehash(blockHash);
    int block = (blockHash & blockMask) << 3;
    boolean added = false;
    for (int i = 0; i < 4; i++) {
      int h = counterHash >>> (i << 3);
      added |= incrementAt(block + (h & 1) + (i << 1), (h >>> 1) & 15);
    }
    if (added && ++size == sampleSize) {
      reset();
    }
  }

  /**
   * Raises the counters of {@code hash} to at least {@code frequency}, without counting towards
   * the sample: how a grown sketch takes over the counts of the values still held.
   */
  public void raise(int hash, int frequency) {
    long count = Math.min(frequency, MAX_FREQUENCY);
    int blockHash = spread(hash);
    int counterHash = rehash(blockHash);
    int block = (blockHash & blockMask) << 3;
    for (int i = 0; i < 4; i++) {
      int h = counterHash >>> (i << 3);
      int slot = block + (h & 1) + (i << 1);
      int offset = ((h >>> 1) & 15) << 2;
      if (((table[slot] >>> offset) & 0xfL) < count) {
        table[slot] = (table[slot] & ~(0xfL << offset)) | (count << offset);
      }
    }
  }

  private boolean incrementAt(int slot, int index) {
    int offset = index << 2;
    long mask = 0xfL << offset;
    if ((table[slot] & mask) != mask) {
      table[slot] += 1L << offset;
      return true;
    }
    return false;
  }

  /** Halves every counter: the aging that lets yesterday's hot values cool. */
  void reset() {
    long odd = 0;
    for (int i = 0; i < table.length; i++) {
      odd += Long.bitCount(table[i] & ONE_MASK);
      table[i] = (table[i] >>> 1) & RESET_MASK;
    }
    size = (int) Math.max(0, (size - (odd >>> 2)) >>> 1);
  }

  /** A strong 32-bit mixer (Caffeine's), so that poor hashes such as small integers spread. */
  public static int spread(int x) {
    x ^= x >>> 17;
    x *= 0xed5ad4bb;
    x ^= x >>> 11;
    x *= 0xac4c1b51;
    x ^= x >>> 15;
    return x;
  }

  private static int rehash(int x) {
    x *= 0x31848bab;
    x ^= x >>> 14;
    return x;
  }
}
