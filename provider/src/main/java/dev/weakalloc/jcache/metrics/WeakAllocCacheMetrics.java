package dev.weakalloc.jcache.metrics;

import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.management.CacheStatisticsView;
import dev.weakalloc.jcache.management.NearCacheStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;

/**
 * Binds a {@link WeakAllocCache} to a Micrometer registry with Micrometer's cache conventions:
 * {@code cache.gets{result=hit|miss}}, {@code cache.puts}, {@code cache.removals}, {@code
 * cache.evictions} (function counters) and {@code cache.size} (a gauge), tagged {@code
 * cache=<name>} and {@code cacheManager=<URI>}.
 *
 * {@snippet :
 * WeakAllocCacheMetrics.monitor(registry, cache);
 * }
 *
 * <p>The counts are the cache's always-on totals ({@link CacheStatisticsView#hitCount()} ...), so
 * they report whether or not JCache statistics are enabled, and JCache's {@code clear()} of the
 * statistics does not reset them. Gets, puts and removals are counted as JCache counts them.
 *
 * <p>A near cache (one that fronts a cache of another provider) also gets {@code
 * weakalloc.near.gets{result=hit|miss}} (reads served from the region, reads that asked the backing
 * cache), {@code weakalloc.near.invalidations{cause=created|updated|removed|expired|write|
 * listener_lost}} (function counters) and {@code weakalloc.near.backing{call=read|write}} (a
 * function timer of the calls made to the backing cache, failed ones included), with the same
 * tags. Its {@code cache.gets} count what the caller saw: a value returned, near or from the
 * backing cache, is a hit.
 *
 * <p>Like Micrometer's own binders, the meters hold the cache weakly: a cache that is closed and
 * collected stops the size gauge, and its counters keep their last values.
 *
 * <p>Thread safety: thread-safe; meters may be read from any thread.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
// Micrometer is an optional, non-transitive dependency: users of the binders require it themselves.
@SuppressWarnings("exports")
public final class WeakAllocCacheMetrics<K, V> extends CacheMeterBinder<WeakAllocCache<K, V>> {
  private final CacheStatisticsView statistics;

  /**
   * Creates a binder for {@code cache}, with {@code tags} added to its own.
   *
   * @param cache the cache; a {@link javax.cache.Cache} of this provider may be unwrapped to it
   * @param tags tags added to every meter
   */
  public WeakAllocCacheMetrics(WeakAllocCache<K, V> cache, Iterable<Tag> tags) {
    super(cache, cache.getName(), Tags.concat(tags, "cacheManager", managerUri(cache)));
    this.statistics = cache.statistics();
  }

  /**
   * Binds {@code cache}, a cache of this provider, to {@code registry}.
   *
   * @param tags tags as key-value pairs
   * @return the cache
   * @throws IllegalArgumentException if {@code cache} is not a cache of this provider
   */
  public static <K, V, C extends Cache<K, V>> C monitor(
      MeterRegistry registry, C cache, String... tags) {
    return monitor(registry, cache, Tags.of(tags));
  }

  /**
   * Binds {@code cache}, a cache of this provider, to {@code registry}.
   *
   * @param tags tags added to every meter
   * @return the cache
   * @throws IllegalArgumentException if {@code cache} is not a cache of this provider
   */
  public static <K, V, C extends Cache<K, V>> C monitor(
      MeterRegistry registry, C cache, Iterable<Tag> tags) {
    @SuppressWarnings("unchecked")
    WeakAllocCache<K, V> ours = cache.unwrap(WeakAllocCache.class);
    new WeakAllocCacheMetrics<>(ours, tags).bindTo(registry);
    return cache;
  }

  private static String managerUri(WeakAllocCache<?, ?> cache) {
    return cache.getCacheManager().getURI().toString();
  }

  @Override
  protected Long size() {
    WeakAllocCache<K, V> cache = getCache();
    return cache == null || cache.isClosed() ? 0L : cache.estimatedSize();
  }

  @Override
  protected long hitCount() {
    return statistics.hitCount();
  }

  @Override
  protected Long missCount() {
    return statistics.missCount();
  }

  @Override
  protected Long evictionCount() {
    WeakAllocCache<K, V> cache = getCache();
    if (cache != null && !cache.isClosed()) {
      cache.drainEvictions(); // count evictions that wait in the region's queue
    }
    return statistics.evictionCount();
  }

  @Override
  protected long putCount() {
    return statistics.putCount();
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    FunctionCounter.builder("cache.removals", statistics, CacheStatisticsView::removalCount)
        .tags(getTagsWithCacheName())
        .description("The number of entries removed explicitly (remove, getAndRemove, removeAll)")
        .register(registry);
    WeakAllocCache<K, V> cache = getCache();
    if (cache != null && cache.isNearCache()) {
      bindNearMetrics(registry, cache.nearStatistics());
    }
  }

  private void bindNearMetrics(MeterRegistry registry, NearCacheStatistics near) {
    FunctionCounter.builder("weakalloc.near.gets", near, NearCacheStatistics::hitCount)
        .tags(getTagsWithCacheName()).tag("result", "hit")
        .description("Reads served from the near tier's region")
        .register(registry);
    FunctionCounter.builder("weakalloc.near.gets", near, NearCacheStatistics::missCount)
        .tags(getTagsWithCacheName()).tag("result", "miss")
        .description("Reads (per key) that asked the backing cache")
        .register(registry);
    for (NearCacheStatistics.Cause cause : NearCacheStatistics.Cause.values()) {
      FunctionCounter.builder("weakalloc.near.invalidations", near, n -> n.invalidationCount(cause))
          .tags(getTagsWithCacheName()).tag("cause", cause.name().toLowerCase(Locale.ROOT))
          .description("Near copies dropped: by an event of the backing cache, a write through"
              + " this cache, or a clear when the listener was lost")
          .register(registry);
    }
    for (NearCacheStatistics.BackingCall call : NearCacheStatistics.BackingCall.values()) {
      FunctionTimer.builder("weakalloc.near.backing", near,
              n -> n.backingCallCount(call), n -> n.backingCallNanos(call), TimeUnit.NANOSECONDS)
          .tags(getTagsWithCacheName()).tag("call", call.name().toLowerCase(Locale.ROOT))
          .description("Calls made to the backing cache, and their time")
          .register(registry);
    }
  }
}
