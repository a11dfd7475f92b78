package dev.weakalloc.jcache;

/**
 * Told when the region evicted a cache's value to make room: JCache has no eviction event, so
 * this is the provider's own. Register it with {@link WeakAllocCache#addEvictionListener}, reached
 * through {@code cache.unwrap(WeakAllocCache.class)}.
 *
 * <p>Called after the mapping left the cache, from whichever thread drains the region's evictions
 * (usually one that just wrote to a cache sharing the region), outside any lock of the cache. It
 * must be quick and thread-safe; an exception it throws is logged and ignored. The value is gone,
 * so only the key is given.
 *
 * @param <K> the key type
 */
@FunctionalInterface
public interface RegionEvictionListener<K> {
  /** The value of {@code key} was evicted from the region and the key removed from the cache. */
  void onEviction(K key);
}
