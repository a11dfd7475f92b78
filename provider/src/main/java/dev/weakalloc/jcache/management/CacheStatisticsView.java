package dev.weakalloc.jcache.management;

import javax.cache.management.CacheStatisticsMXBean;

/**
 * A read-only view of one cache's statistics, as {@code WeakAllocCache.statistics()} hands it out:
 * the JCache figures of {@link CacheStatisticsMXBean}, which count only while statistics are
 * enabled and which {@link #clear()} resets (as the specification says), and totals that are kept
 * from the cache's creation whether or not statistics are enabled (what the Micrometer binders
 * read).
 *
 * <p>Thread safety: thread-safe; reads are not atomic across counters. Holds no off-heap memory.
 */
public interface CacheStatisticsView extends CacheStatisticsMXBean {
  /** {@return the hits since creation, whether or not statistics are enabled; never cleared} */
  long hitCount();

  /** {@return the misses since creation, whether or not statistics are enabled; never cleared} */
  long missCount();

  /** {@return the puts since creation, whether or not statistics are enabled; never cleared} */
  long putCount();

  /**
   * {@return the removals since creation, whether or not statistics are enabled; never cleared}
   * Counted as JCache counts them: {@code remove}, {@code getAndRemove}, {@code removeAll} and an
   * entry processor's remove, not {@code clear()}.
   */
  long removalCount();

  /** {@return the region evictions since creation, whether or not statistics are enabled} */
  long evictionCount();

  /** {@return the entries removed because they expired, since creation} JCache has no such statistic. */
  long expiryCount();
}
