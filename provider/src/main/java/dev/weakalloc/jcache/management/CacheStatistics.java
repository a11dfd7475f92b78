package dev.weakalloc.jcache.management;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The statistics of one cache, as JCache's {@link CacheStatisticsMXBean} defines them. Counters
 * are {@link LongAdder}s, so recording never contends; the cache records only while {@link
 * #isEnabled()}, so a disabled cache pays one volatile read per operation.
 *
 * <p>Thread safety: thread-safe. Reads are not atomic across counters.
 */
public final class CacheStatistics implements CacheStatisticsMXBean {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();
  private volatile boolean enabled;

  /** Creates statistics, all zero and disabled. */
  public CacheStatistics() {}

  /** {@return whether the cache records statistics} */
  public boolean isEnabled() {
    return enabled;
  }

  /** Turns recording on or off; the counters are kept. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Records {@code count} hits. */
  public void recordHits(long count) {
    hits.add(count);
  }

  /** Records {@code count} misses. */
  public void recordMisses(long count) {
    misses.add(count);
  }

  /** Records {@code count} puts. */
  public void recordPuts(long count) {
    puts.add(count);
  }

  /** Records {@code count} removals. */
  public void recordRemovals(long count) {
    removals.add(count);
  }

  /** Records {@code count} evictions. */
  public void recordEvictions(long count) {
    evictions.add(count);
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

  @Override
  public void clear() {
    for (LongAdder adder :
        new LongAdder[] {hits, misses, puts, removals, evictions, getNanos, putNanos, removeNanos}) {
      adder.reset();
    }
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    long h = getCacheHits();
    long gets = h + getCacheMisses();
    return gets == 0 ? 0f : (float) h / gets * 100f;
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
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
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  @Override
  public long getCacheEvictions() {
    return evictions.sum();
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
