package dev.weakalloc.samples.region;

import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.WeakAllocCacheManager;
import dev.weakalloc.jcache.metrics.WeakAllocCacheMetrics;
import dev.weakalloc.jcache.metrics.WeakAllocRegionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import javax.cache.Cache;

/**
 * The weak-alloc row: a {@link RegionCache} over the standard JCache {@link Cache} that {@link
 * RegionCaches#open(long)} obtains from the weak-alloc provider. Evictions and the peak region use
 * come from the provider's own counters, reached through {@code unwrap}; {@link #bindTo} binds the
 * provider's Micrometer binders of the cache and of its region.
 *
 * <p>Thread-safe.
 */
final class JCacheService implements RegionService {
  private final RegionFiles files;
  private final Cache<RegionPos, byte[]> cache;
  private final WeakAllocCache<RegionPos, byte[]> ours;
  private final WeakAllocCacheManager manager;
  private final RegionCache regions;
  private final PeakGauge peak = new PeakGauge();
  private final String name;

  /** A service over a new cache of {@code budgetBytes}, pure LRU. */
  JCacheService(RegionFiles files, long budgetBytes) {
    this(files, budgetBytes, "none");
  }

  /**
   * A service over a new cache of {@code budgetBytes} whose region has the admission policy
   * {@code admission} ({@code none} or {@code tinylfu}), which the row's name then says.
   */
  @SuppressWarnings("unchecked")
  JCacheService(RegionFiles files, long budgetBytes, String admission) {
    this.files = files;
    this.name = admission.equals("none") ? "weak-alloc" : "weak-alloc " + admission;
    this.cache = RegionCaches.open(budgetBytes, admission);
    this.ours = cache.unwrap(WeakAllocCache.class);
    this.manager = cache.getCacheManager().unwrap(WeakAllocCacheManager.class);
    this.regions = new RegionCache(cache, files);
  }

  /**
   * {@inheritDoc} Here the provider's binders: the cache's meters and its region's {@code
   * weakalloc.region.*} meters, which say once the region is closed.
   */
  @Override
  public void bindTo(MeterRegistry registry, Tags tags) {
    WeakAllocCacheMetrics.monitor(registry, cache, tags);
    WeakAllocRegionMetrics.of(manager, tags).bindTo(registry);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] chunk(RegionPos region, int index) throws ChunkLoadException {
    try {
      return UncompressedRegion.chunk(regions.getUncompressedFile(region.x(), region.z()), index);
    } finally {
      peak.record(manager.regionStats().usedBytes());
    }
  }

  @Override
  public RegionFiles files() {
    return files;
  }

  @Override
  public long evictions() {
    return ours.statistics().evictionCount();
  }

  @Override
  public long peakBytes() {
    return peak.peak();
  }

  @Override
  public void close() {
    RegionCaches.close(cache);
  }
}
