package dev.weakalloc;

import dev.weakalloc.internal.Neighbourhood;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Decides, before anything is evicted, where a value that does not fit will go: a run of adjacent
 * blocks in one chunk, each free or held by an evictable value, that together take at least the
 * block the value needs. Only the values of that run are then evicted.
 *
 * <h2>Implementation notes</h2>
 * <b>Which runs.</b> Candidates come from the least recently used value outward: for each value in
 * recency order (oldest first) that could be evicted, the planner walks the blocks on either side
 * of it until it has seen, on each side, as many bytes as the request lacks, or meets a block it
 * may not take (pinned, or held by no value) or the chunk's edge. Among the windows of those
 * blocks that contain the candidate and are large enough, it picks the one that evicts the fewest
 * bytes (free blocks cost nothing). The first candidate whose run evicts at most 1/16 more than the
 * request wins; if none does, the cheapest run of the first {@value #CANDIDATE_RUNS} candidates
 * that have one. So a give evicts little more than it asks for (a 64-byte value does not take a
 * 1 MiB victim's place when an old 100-byte one will do), and what it evicts is among the oldest
 * values and their neighbours: the recency order decides, up to those few candidates.
 *
 * <p><b>Cost.</b> A walk stops once each side holds what the request lacks, so a small give looks
 * at a few blocks. A candidate whose walks both end at an obstacle before reaching enough bytes has
 * seen its whole stretch between obstacles, which is too small: every value in that stretch is
 * marked hopeless for this plan and skipped as a candidate. A plan that fails therefore reads each
 * block at most a few times, and the recency order once.
 *
 * <p><b>Pins.</b> {@link Strictness#ANY_PIN} treats every pinned value as an obstacle: the plan
 * that is carried out. {@link Strictness#ARC_REF_PINS} lets through values pinned only by reads and
 * writes in progress, which unpin within microseconds: it answers whether waiting for them would
 * make room, so that a give waits for transient pins instead of failing.
 *
 * <p><b>Concurrency.</b> Not thread-safe: called under the owning {@link WeakAlloc}'s lock. Other
 * threads may pin or free values of the run meanwhile (both are lock-free), so a plan may be stale
 * when it is carried out: the caller evicts each value with a compare-and-set that fails on a pin,
 * and plans again if one does. Holds no off-heap memory; reads the blocks' headers through the
 * {@link Neighbourhood}.
 */
final class EvictionPlanner {
  /** Which pins stop a run. */
  enum Strictness {
    /** Any pin, of an open {@link ArcRef} or of a read or write in progress. */
    ANY_PIN {
      @Override
      boolean mayTake(WeakRef<?> ref) {
        return ref.isPresent() && ref.pins() == 0;
      }
    },
    /** Only pins of open {@link ArcRef}s: transient pins are assumed gone. */
    ARC_REF_PINS {
      @Override
      boolean mayTake(WeakRef<?> ref) {
        return ref.arcPins() == 0;
      }
    };

    /** {@return whether a plan of this strictness may evict {@code ref}'s block} */
    abstract boolean mayTake(WeakRef<?> ref);
  }

  /** How many candidate runs, oldest first, a plan compares when none is cheap enough. */
  static final int CANDIDATE_RUNS = 16;
  /** A run that evicts at most the request plus 1/this of it is taken at once. */
  private static final long TOLERATED_EXCESS = 16;

  private final Neighbourhood blocks;
  private final OwnerIds ids;
  /** Ids of values already seen in a stretch between obstacles that is too small; per plan. */
  private final BitSet hopeless = new BitSet();
  private final Side left = new Side();
  private final Side right = new Side();
  /** Prefix sums over the window's blocks in address order: bytes, and bytes to evict. */
  private long[] bytesBefore = new long[64];
  private long[] costBefore = new long[64];
  private long largestRun;
  /** The bytes the last run found would evict. */
  private long runCost;
  /** The value the run being planned is grown around. */
  private WeakRef<?> centre;

  EvictionPlanner(Neighbourhood blocks, OwnerIds ids) {
    this.blocks = blocks;
    this.ids = ids;
  }

  /**
   * Plans room for a block of {@code needBytes}.
   *
   * @return the values to evict (the least recently used evictable value among them), or null if
   *     no run can be made; then {@link #largestRun()} tells the largest one that could
   */
  List<WeakRef<?>> plan(RecencyList recency, long needBytes, Strictness strictness) {
    hopeless.clear();
    largestRun = 0;
    List<WeakRef<?>> best = null;
    long bestCost = Long.MAX_VALUE;
    int runsFound = 0;
    for (WeakRef<?> candidate = recency.first(); candidate != null; candidate = recency.next(candidate)) {
      // A removed value may still be linked for a moment after its block went to another value:
      // its address is then no longer its block, so it is never a candidate.
      if (candidate.id < 0 || !candidate.isPresent() || hopeless.get(candidate.id)
          || !strictness.mayTake(candidate)) {
        continue;
      }
      List<WeakRef<?>> run = runAround(candidate, needBytes, strictness);
      if (run == null) {
        continue;
      }
      if (runCost <= needBytes + needBytes / TOLERATED_EXCESS) {
        return run;
      }
      if (runCost < bestCost) {
        best = run;
        bestCost = runCost;
      }
      if (++runsFound == CANDIDATE_RUNS) {
        break;
      }
    }
    return best;
  }

  /** {@return the bytes of the largest run the last failed {@link #plan} could have made} */
  long largestRun() {
    return largestRun;
  }

  private List<WeakRef<?>> runAround(WeakRef<?> candidate, long needBytes, Strictness strictness) {
    centre = candidate;
    long lacking = needBytes - candidate.blockBytes;
    boolean leftBlocked = left.walk(candidate.address, lacking, strictness, true);
    boolean rightBlocked = right.walk(candidate.address, lacking, strictness, false);
    int count = prefixSums(candidate);
    long total = bytesBefore[count];
    if (total < needBytes) {
      if (leftBlocked && rightBlocked) { // the whole stretch between obstacles: too small
        largestRun = Math.max(largestRun, total);
        markHopeless(candidate);
      }
      return null;
    }
    return cheapestWindow(count, left.count, needBytes);
  }

  /** Fills the prefix sums over left (farthest first), the candidate, right; returns the count. */
  private int prefixSums(WeakRef<?> candidate) {
    int count = left.count + 1 + right.count;
    if (bytesBefore.length <= count) {
      bytesBefore = Arrays.copyOf(bytesBefore, 2 * count + 1);
      costBefore = Arrays.copyOf(costBefore, 2 * count + 1);
    }
    for (int i = 0; i < count; i++) {
      long bytes = i < left.count ? left.bytes[left.count - 1 - i]
          : i == left.count ? candidate.blockBytes
          : right.bytes[i - left.count - 1];
      boolean free = i < left.count ? left.refs[left.count - 1 - i] == null
          : i > left.count && right.refs[i - left.count - 1] == null;
      bytesBefore[i + 1] = bytesBefore[i] + bytes;
      costBefore[i + 1] = costBefore[i] + (free ? 0 : bytes);
    }
    return count;
  }

  /**
   * Two pointers over the windows {@code [from, to]} that contain {@code centre}: for each start,
   * the shortest end that is large enough (the end only moves right as the start does).
   */
  private List<WeakRef<?>> cheapestWindow(int count, int centre, long needBytes) {
    int bestFrom = -1;
    int bestTo = -1;
    long bestCost = Long.MAX_VALUE;
    int to = centre;
    for (int from = 0; from <= centre; from++) {
      while (to < count && bytesBefore[to + 1] - bytesBefore[from] < needBytes) {
        to++;
      }
      if (to == count) {
        break;
      }
      long cost = costBefore[to + 1] - costBefore[from];
      if (cost < bestCost) {
        bestCost = cost;
        bestFrom = from;
        bestTo = to;
      }
    }
    runCost = bestCost;
    List<WeakRef<?>> run = new ArrayList<>(bestTo - bestFrom + 1);
    for (int i = bestFrom; i <= bestTo; i++) {
      WeakRef<?> ref = refAt(i);
      if (ref != null) {
        run.add(ref);
      }
    }
    return run;
  }

  private WeakRef<?> refAt(int index) {
    if (index < left.count) {
      return left.refs[left.count - 1 - index];
    }
    return index == left.count ? centre : right.refs[index - left.count - 1];
  }

  private void markHopeless(WeakRef<?> candidate) {
    hopeless.set(candidate.id);
    left.markHopeless();
    right.markHopeless();
  }

  /** The blocks on one side of a candidate, nearest first: their sizes and values (null if free). */
  private final class Side {
    long[] bytes = new long[16];
    WeakRef<?>[] refs = new WeakRef<?>[16];
    int count;
    /**
     * Collects blocks from the one next to {@code from} outward until they hold {@code lacking}
     * bytes.
     *
     * @return true if the walk stopped at an obstacle or the chunk's edge before that
     */
    boolean walk(long from, long lacking, Strictness strictness, boolean leftward) {
      count = 0;
      long seen = 0;
      long block = from;
      while (seen < lacking) {
        block = leftward ? blocks.blockBefore(block) : blocks.blockAfter(block);
        if (block == Neighbourhood.NONE) {
          return true;
        }
        WeakRef<?> ref = null;
        if (!blocks.isFree(block)) {
          ref = ids.owner(blocks.owner(block));
          if (ref == null || !strictness.mayTake(ref)) {
            return true;
          }
        }
        add(blocks.blockBytes(block), ref);
        seen += bytes[count - 1];
      }
      return false;
    }

    private void add(long blockBytes, WeakRef<?> ref) {
      if (count == bytes.length) {
        bytes = Arrays.copyOf(bytes, count * 2);
        refs = Arrays.copyOf(refs, count * 2);
      }
      bytes[count] = blockBytes;
      refs[count++] = ref;
    }

    void markHopeless() {
      for (int i = 0; i < count; i++) {
        if (refs[i] != null) {
          hopeless.set(refs[i].id);
        }
      }
    }
  }
}
