package dev.weakalloc.jcache.management;

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
 * only while enabled (reading the clock is the costly part). A {@code parent}, when given, receives
 * every count too: the region's totals over the caches that share it.
 *
 * <p>Thread safety: thread-safe. Recording takes no lock; the JCache view and {@link #setEnabled}
 * and {@link #clear()} are serialized on this object, and a count that races with them may land on
 * either side (benign). Reads are not atomic across counters.
 */
public final class CacheStatistics implements CacheStatisticsMXBean {
  private static final int HITS = 0;
  private static final int MISSES = 1;
  private static final int PUTS = 2;
  private static final int REMOVALS = 3;
  private static final int EVICTIONS = 4;
  private static final int EXPIRIES = 5;
  private static final int COUNTERS = 6;

  private final CacheStatistics parent;
  private final LongAdder[] totals = new LongAdder[COUNTERS];
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
    this(null);
  }

  /**
   * Creates statistics, all zero and disabled, whose counts also go to {@code parent}.
   *
   * @param parent the totals to add every count to (a region's), or null
   */
  public CacheStatistics(CacheStatistics parent) {
    this.parent = parent;
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
    if (parent != null) {
      parent.record(counter, count);
    }
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
  public long hitCount() {
    return totals[HITS].sum();
  }

  /** {@return the misses since creation, whether or not statistics are enabled; never cleared} */
  public long missCount() {
    return totals[MISSES].sum();
  }

  /** {@return the puts since creation, whether or not statistics are enabled; never cleared} */
  public long putCount() {
    return totals[PUTS].sum();
  }

  /**
   * {@return the removals since creation, whether or not statistics are enabled; never cleared}
   * Counted as JCache counts them: {@code remove}, {@code getAndRemove}, {@code removeAll} and an
   * entry processor's remove, not {@code clear()}.
   */
  public long removalCount() {
    return totals[REMOVALS].sum();
  }

  /** {@return the region evictions since creation, whether or not statistics are enabled} */
  public long evictionCount() {
    return totals[EVICTIONS].sum();
  }

  /** {@return the entries removed because they expired, since creation} JCache has no such statistic. */
  public long expiryCount() {
    return totals[EXPIRIES].sum();
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
