package dev.weakalloc.jcache.internal;

import dev.weakalloc.WeakRef;

/**
 * Receives the handles whose values the region evicted, after the fact and outside any map
 * operation. Implemented by the cache.
 *
 * <p>Called from whichever thread drains the region's eviction queue; implementations must be
 * thread-safe.
 */
public interface EvictionSink {
  /**
   * The region evicted the value of {@code ref}, whose {@linkplain WeakRef#tag() tag} is its key:
   * drop the mapping if it is still current.
   */
  void onRegionEviction(WeakRef<?> ref);
}
