package dev.weakalloc.jcache.management;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The counts of one cache: always-on totals, and the JCache statistics view of them that {@link
 * CacheStatisticsMXBean} defines.
 *
 * <h2>Implementation notes</h2>
 * Counts are {@link LongAdder}s, recorded on every operation whether or not JCache statistics are
 * enabled, so that the Micrometer binders work either way; {@link #hitCount()} and the other
 * {@code ...Count()} methods return these totals, which only grow. The JCache view subtracts a
 * baseline from each total: {@link #clear()} moves the baseline to the total, and the counts made
 * while statistics are disabled are added to the baseline when they are enabled again, so that the
 * JCache view counts only while enabled, as the specification says. Operation times are recorded
 * only while enabled (reading the clock is the costly part). A region's totals over the caches that
 * share it are a {@code CacheStatistics} whose {@linkplain #join members} are those caches': its
 * {@code ...Count()} methods add up the members' totals when read, so an operation records each
 * count once, and a member that {@linkplain #leave leaves} (a closed cache) carries its totals
 * over.
 *
 * <p>Thread safety: thread-safe. Recording takes no lock; the JCache view and {@link #setEnabled}
 * and {@link #clear()} are serialized on this object, and a count that races with them may land on
 * either side (benign). Reads are not atomic across counters.
 */
public final class CacheStatistics implements CacheStatisticsView {
  private static final int HITS = 0;
  private static final int MISSES = 1;
  private static final int PUTS = 2;
  private static final int REMOVALS = 3;
  private static final int EVICTIONS = 4;
  private static final int EXPIRIES = 5;
  private static final int COUNTERS = 6;

  private final LongAdder[] totals = new LongAdder[COUNTERS];
  private final Set<CacheStatistics> members = ConcurrentHashMap.newKeySet();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();
  // Guarded by this.
  private final long[] baseline = new long[COUNTERS];
  // Guarded by this: the totals when statistics were last disabled.
  private final long[] frozen = new long[COUNTERS];
  private volatile boolean enabled;

  /** Creates statistics, all zero and disabled. */
  public CacheStatistics() {
    for (int i = 0; i < COUNTERS; i++) {
      totals[i] = new LongAdder();
    }
  }

  /** {@return whether JCache statistics are enabled: operations are timed, and the view counts} */
  public boolean isEnabled() {
    return enabled;
  }

  /** Turns the JCache view on or off; the always-on totals count either way. */
  public synchronized void setEnabled(boolean enabled) {
    if (enabled == this.enabled) {
      return;
    }
    for (int i = 0; i < COUNTERS; i++) {
      if (enabled) {
        baseline[i] += totals[i].sum() - frozen[i]; // skip what was counted while disabled
      } else {
        frozen[i] = totals[i].sum();
      }
    }
    this.enabled = enabled;
  }

  private void record(int counter, long count) {
    totals[counter].add(count);
  }

  /** Adds {@code member}'s totals to this one's {@code ...Count()} figures from now on. */
  public void join(CacheStatistics member) {
    members.add(member);
  }

  /**
   * Stops reading {@code member}'s totals and carries them into this one's, so that the figures
   * do not drop. Counts the member records afterwards are not carried.
   */
  public synchronized void leave(CacheStatistics member) {
    if (members.remove(member)) {
      for (int i = 0; i < COUNTERS; i++) {
        totals[i].add(member.totals[i].sum());
      }
    }
  }

  /** {@return this one's total of a counter plus its members'} */
  private synchronized long total(int counter) {
    long sum = totals[counter].sum();
    for (CacheStatistics member : members) {
      sum += member.totals[counter].sum();
    }
    return sum;
  }

  /** Records {@code count} hits. */
  public void recordHits(long count) {
    record(HITS, count);
  }

  /** Records {@code count} misses. */
  public void recordMisses(long count) {
    record(MISSES, count);
  }

  /** Records {@code count} puts. */
  public void recordPuts(long count) {
    record(PUTS, count);
  }

  /** Records {@code count} removals. */
  public void recordRemovals(long count) {
    record(REMOVALS, count);
  }

  /** Records {@code count} evictions (values the region evicted for room). */
  public void recordEvictions(long count) {
    record(EVICTIONS, count);
  }

  /** Records {@code count} expiries (entries removed because they expired). */
  public void recordExpiries(long count) {
    record(EXPIRIES, count);
  }

  /** Records the time a get took. */
  public void recordGetTime(long nanos) {
    getNanos.add(nanos);
  }

  /** Records the time a put took. */
  public void recordPutTime(long nanos) {
    putNanos.add(nanos);
  }

  /** Records the time a remove took. */
  public void recordRemoveTime(long nanos) {
    removeNanos.add(nanos);
  }

  // --- always-on totals ---

  /** {@return the hits since creation, whether or not statistics are enabled; never cleared} */
  @Override
  public long hitCount() {
    return total(HITS);
  }

  /** {@return the misses since creation, whether or not statistics are enabled; never cleared} */
  @Override
  public long missCount() {
    return total(MISSES);
  }

  /** {@return the puts since creation, whether or not statistics are enabled; never cleared} */
  @Override
  public long putCount() {
    return total(PUTS);
  }

  /**
   * {@return the removals since creation, whether or not statistics are enabled; never cleared}
   * Counted as JCache counts them: {@code remove}, {@code getAndRemove}, {@code removeAll} and an
   * entry processor's remove, not {@code clear()}.
   */
  @Override
  public long removalCount() {
    return total(REMOVALS);
  }

  /** {@return the region evictions since creation, whether or not statistics are enabled} */
  @Override
  public long evictionCount() {
    return total(EVICTIONS);
  }

  /** {@return the entries removed because they expired, since creation} JCache has no such statistic. */
  @Override
  public long expiryCount() {
    return total(EXPIRIES);
  }

  // --- the JCache view ---

  private synchronized long view(int counter) {
    long total = enabled ? totals[counter].sum() : frozen[counter];
    return Math.max(0L, total - baseline[counter]);
  }

  @Override
  public synchronized void clear() {
    for (int i = 0; i < COUNTERS; i++) {
      baseline[i] = enabled ? totals[i].sum() : frozen[i];
    }
    getNanos.reset();
    putNanos.reset();
    removeNanos.reset();
  }

  @Override
  public long getCacheHits() {
    return view(HITS);
  }

  @Override
  public float getCacheHitPercentage() {
    long h = getCacheHits();
    long gets = h + getCacheMisses();
    return gets == 0 ? 0f : (float) h / gets * 100f;
  }

  @Override
  public long getCacheMisses() {
    return view(MISSES);
  }

  @Override
  public float getCacheMissPercentage() {
    long m = getCacheMisses();
    long gets = m + getCacheHits();
    return gets == 0 ? 0f : (float) m / gets * 100f;
  }

  @Override
  public long getCacheGets() {
    return getCacheHits() + getCacheMisses();
  }

  @Override
  public long getCachePuts() {
    return view(PUTS);
  }

  @Override
  public long getCacheRemovals() {
    return view(REMOVALS);
  }

  @Override
  public long getCacheEvictions() {
    return view(EVICTIONS);
  }

  @Override
  public float getAverageGetTime() {
    return averageMicros(getNanos.sum(), getCacheGets());
  }

  @Override
  public float getAveragePutTime() {
    return averageMicros(putNanos.sum(), getCachePuts());
  }

  @Override
  public float getAverageRemoveTime() {
    return averageMicros(removeNanos.sum(), getCacheRemovals());
  }

  private static float averageMicros(long nanos, long count) {
    return count == 0 ? 0f : (float) (nanos / 1000.0 / count);
  }
}
