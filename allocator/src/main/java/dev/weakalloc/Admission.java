package dev.weakalloc;

import java.util.Locale;

/**
 * Whether a {@link WeakAlloc} stores every value it is given, or only those likely to be used more
 * than what they would displace. Chosen once, with {@link WeakAlloc.Builder#admission}.
 *
 * <p>Admission never changes the eviction order: values that are stored are evicted least
 * recently used first. It decides only, when a give must evict to make room, whether the newcomer
 * is stored at all.
 *
 * <p>Thread safety: an enum, immutable. Memory: refers to no off-heap memory.
 */
public enum Admission {
  /** Every value given is stored (pure LRU). The default. */
  NONE,
  /**
   * TinyLFU: a give that must evict compares how often the newcomer's hash was seen recently
   * (gives and hits, counted by a 4-bit count-min sketch that halves its counts periodically)
   * with how often the values it would evict were; a newcomer that is not more frequent than the
   * most frequent of them is refused: nothing is evicted, and the give returns a {@link WeakRef}
   * that is already gone. A newcomer seen often (6 or more) wins one time in 128 even so, so that
   * hashes crafted to collide with hot values cannot keep every newcomer out (Caffeine's defence).
   * A refused newcomer is remembered for a while (one slot per eight values, direct-mapped): given
   * again before it is forgotten, it is admitted whatever its frequency, so that a value used again
   * right after its first use (recency the counts cannot show yet) gets in on its second give.
   * Values given without a hash are always admitted, and count as never seen when they would be
   * evicted.
   *
   * <p>The sketch lives on the heap, one {@code long} per value the allocator holds (a power of
   * two, at least 64, at most 2<sup>22</sup>); it grows with the number of values, keeping
   * the counts of the values held when it does, and its size (with the memory of refusals) is
   * reported in {@link WeakAllocStats#overheadBytes()}.
   */
  TINY_LFU;

  /**
   * {@return the admission named {@code name}, ignoring case and separators: {@code none} (or
   * {@code lru}) and {@code tinylfu} (or {@code tiny-lfu}, {@code tiny_lfu})}
   *
   * @throws IllegalArgumentException if the name is none of these, naming it and the choices
   */
  public static Admission parse(String name) {
    String key = name.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    return switch (key) {
      case "none", "lru" -> NONE;
      case "tinylfu" -> TINY_LFU;
      default -> throw new IllegalArgumentException(
          "unknown admission '" + name + "': expected none (or lru) or tinylfu");
    };
  }
}
