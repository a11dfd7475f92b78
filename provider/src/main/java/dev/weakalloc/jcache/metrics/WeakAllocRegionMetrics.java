package dev.weakalloc.jcache.metrics;

import static java.util.Objects.requireNonNull;

import dev.weakalloc.WeakAllocStats;
import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.WeakAllocCacheManager;
import dev.weakalloc.jcache.management.CacheStatisticsView;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import javax.cache.Cache;
import javax.cache.CacheManager;

/**
 * Binds an off-heap region of the provider to a Micrometer registry: the region a manager's caches
 * share, or the region of a cache that has one of its own.
 *
 * <ul>
 *   <li>gauges {@code weakalloc.region.capacity}, {@code .committed}, {@code .used} and {@code
 *       .pinned} (bytes) and {@code weakalloc.region.values} (live values);
 *   <li>function counters {@code weakalloc.region.evictions{cause=memory|expired|explicit}}: values
 *       evicted for room, entries removed because they expired, entries removed explicitly (as
 *       JCache counts removals); {@code weakalloc.region.evicted} (bytes evicted for room); {@code
 *       weakalloc.region.allocations.failed} (allocations that failed even after eviction); {@code
 *       weakalloc.region.admissions.refused} (values the admission policy did not store);
 *   <li>gauge {@code weakalloc.region.overhead} (heap bytes of the admission sketch);
 *   <li>gauge {@code weakalloc.region.closed}: 1 once the region is closed, else 0.
 * </ul>
 *
 * <p>Every meter is tagged {@code cacheManager=<URI>} and {@code region=shared}, or {@code
 * region=<cache name>} for a cache's own region.
 *
 * {@snippet :
 * WeakAllocRegionMetrics.monitor(registry, cacheManager);
 * }
 *
 * <p>The figures come from the allocator's constant-time {@link WeakAllocStats} and the caches'
 * always-on counters, whether or not JCache statistics are enabled.
 *
 * <h2>A closed region</h2>
 * The meters of a closed region stay registered and say it is closed: {@code
 * weakalloc.region.closed} reads 1; committed, used and pinned bytes, values and overhead read 0,
 * since its memory went back to the platform; the counters keep their final counts (those of
 * {@link WeakAllocCacheManager#regionStats()} after close). Remove them from the registry when
 * they are no longer wanted. Like Micrometer's own binders, the meters hold the manager (or
 * cache) weakly: once it is garbage-collected, the gauges read NaN and the counters their last
 * value read.
 *
 * <p>Thread safety: thread-safe; meters may be read from any thread.
 */
// Micrometer is an optional, non-transitive dependency: users of the binders require it themselves.
@SuppressWarnings("exports")
public final class WeakAllocRegionMetrics implements MeterBinder {
  private final Object owner;
  private final Source<?> source;
  private final Iterable<Tag> tags;

  private WeakAllocRegionMetrics(Object owner, Source<?> source, String region, String uri,
      Iterable<Tag> tags) {
    this.owner = owner;
    this.source = source;
    this.tags = Tags.concat(tags, "cacheManager", uri, "region", region);
  }

  /**
   * {@return a binder for the region shared by {@code manager}'s caches}
   *
   * @param tags tags added to every meter
   */
  public static WeakAllocRegionMetrics of(WeakAllocCacheManager manager, Iterable<Tag> tags) {
    requireNonNull(manager, "manager");
    Source<WeakAllocCacheManager> source = new Source<>(WeakAllocCacheManager::isClosed,
        WeakAllocCacheManager::regionStats, manager.regionTotals());
    return new WeakAllocRegionMetrics(
        manager, source, "shared", manager.getURI().toString(), tags);
  }

  /**
   * {@return a binder for the region {@code cache} stores in: its own, or its manager's shared
   * one}
   *
   * @param tags tags added to every meter
   */
  public static WeakAllocRegionMetrics of(WeakAllocCache<?, ?> cache, Iterable<Tag> tags) {
    requireNonNull(cache, "cache");
    if (!cache.hasOwnRegion()) {
      return of(cache.getCacheManager().unwrap(WeakAllocCacheManager.class), tags);
    }
    @SuppressWarnings("unchecked")
    Source<WeakAllocCache<?, ?>> source = new Source<>(WeakAllocCache::isClosed,
        WeakAllocCache::regionStats, cache.statistics());
    return new WeakAllocRegionMetrics(cache, source, cache.getName(),
        cache.getCacheManager().getURI().toString(), tags);
  }

  /**
   * Binds the region shared by the caches of {@code manager}, a manager of this provider.
   *
   * @param tags tags as key-value pairs
   * @return the manager
   * @throws IllegalArgumentException if {@code manager} is not a manager of this provider
   */
  public static <M extends CacheManager> M monitor(
      MeterRegistry registry, M manager, String... tags) {
    of(manager.unwrap(WeakAllocCacheManager.class), Tags.of(tags)).bindTo(registry);
    return manager;
  }

  /**
   * Binds the region {@code cache}, a cache of this provider, stores in.
   *
   * @param tags tags as key-value pairs
   * @return the cache
   * @throws IllegalArgumentException if {@code cache} is not a cache of this provider
   */
  public static <K, V, C extends Cache<K, V>> C monitor(
      MeterRegistry registry, C cache, String... tags) {
    of(cache.unwrap(WeakAllocCache.class), Tags.of(tags)).bindTo(registry);
    return cache;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "weakalloc.region.capacity", "The capacity of the region",
        BaseUnits.BYTES, WeakAllocStats::capacityBytes);
    gauge(registry, "weakalloc.region.committed",
        "The memory of the region committed so far (it grows as the region fills)",
        BaseUnits.BYTES, WeakAllocStats::committedBytes);
    gauge(registry, "weakalloc.region.used", "The bytes of the region's live blocks",
        BaseUnits.BYTES, WeakAllocStats::usedBytes);
    gauge(registry, "weakalloc.region.pinned",
        "The bytes of values pinned by an open ArcRef, which cannot be evicted now",
        BaseUnits.BYTES, WeakAllocStats::pinnedBytes);
    gauge(registry, "weakalloc.region.values", "The values in the region",
        null, WeakAllocStats::liveValues);
    evictions(registry, "memory", o -> source.stats(o).evictions());
    evictions(registry, "expired", o -> source.totals(o).expiryCount());
    evictions(registry, "explicit", o -> source.totals(o).removalCount());
    counter(registry, "weakalloc.region.evicted", "The bytes evicted for room",
        BaseUnits.BYTES, o -> source.stats(o).evictedBytes());
    counter(registry, "weakalloc.region.allocations.failed",
        "The allocations that failed even after everything evictable was evicted",
        null, o -> source.stats(o).failedAllocations());
    counter(registry, "weakalloc.region.admissions.refused",
        "The values the admission policy did not store: they would have evicted values used more",
        null, o -> source.stats(o).admissionsRefused());
    gauge(registry, "weakalloc.region.overhead",
        "The heap bytes of the region's bookkeeping beside its blocks (the admission sketch)",
        BaseUnits.BYTES, WeakAllocStats::overheadBytes);
    Source<?> s = source;
    Gauge.builder("weakalloc.region.closed", owner, o -> s.isClosed(o) ? 1 : 0)
        .tags(tags)
        .description("1 once the region is closed: its memory went back, its counters are final")
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description, String unit,
      ToLongFunction<WeakAllocStats> figure) {
    Source<?> s = source;
    Gauge.builder(name, owner, o -> figure.applyAsLong(s.stats(o)))
        .tags(tags)
        .description(description)
        .baseUnit(unit)
        .register(registry);
  }

  private void evictions(MeterRegistry registry, String cause, ToLongFunction<Object> count) {
    FunctionCounter.builder("weakalloc.region.evictions", owner, o -> count.applyAsLong(o))
        .tags(tags)
        .tag("cause", cause)
        .description("The values that left the region: evicted for room (memory), expired, or"
            + " removed explicitly")
        .register(registry);
  }

  private void counter(MeterRegistry registry, String name, String description, String unit,
      ToLongFunction<Object> count) {
    FunctionCounter.builder(name, owner, o -> count.applyAsLong(o))
        .tags(tags)
        .description(description)
        .baseUnit(unit)
        .register(registry);
  }

  /**
   * Reads the region's figures from its owner, which the meters hold weakly (and this does not):
   * the owner answers after close too, with the region's final counts.
   */
  private static final class Source<T> {
    private final Predicate<T> closed;
    private final Function<T, WeakAllocStats> stats;
    private final CacheStatisticsView totals;

    Source(Predicate<T> closed, Function<T, WeakAllocStats> stats, CacheStatisticsView totals) {
      this.closed = closed;
      this.stats = stats;
      this.totals = totals;
    }

    @SuppressWarnings("unchecked")
    WeakAllocStats stats(Object owner) {
      return stats.apply((T) owner);
    }

    @SuppressWarnings("unchecked")
    boolean isClosed(Object owner) {
      return closed.test((T) owner);
    }

    CacheStatisticsView totals(Object owner) {
      return totals;
    }
  }
}
