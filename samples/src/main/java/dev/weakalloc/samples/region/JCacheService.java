package dev.weakalloc.samples.region;

import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.WeakAllocCacheManager;
import dev.weakalloc.jcache.metrics.WeakAllocCacheMetrics;
import dev.weakalloc.jcache.metrics.WeakAllocRegionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import javax.cache.Cache;

/**
 * The weak-alloc row: a {@link RegionCache} over the standard JCache {@link Cache} that {@link
 * RegionCaches#open(long)} obtains from the weak-alloc provider. Evictions and the peak region use
 * come from the provider's own counters, reached through {@code unwrap}; with a registry, its
 * Micrometer binders report the cache and its region too.
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

  /**
   * A service over a new cache of {@code budgetBytes}.
   *
   * @param registry where to bind the cache's and the region's meters, or null
   */
  JCacheService(RegionFiles files, long budgetBytes, MeterRegistry registry) {
    this(files, budgetBytes, registry, "none");
  }

  /**
   * A service over a new cache of {@code budgetBytes} whose region has the admission policy
   * {@code admission} ({@code none} or {@code tinylfu}), which the row's name then says.
   *
   * @param registry where to bind the cache's and the region's meters, or null
   */
  @SuppressWarnings("unchecked")
  JCacheService(RegionFiles files, long budgetBytes, MeterRegistry registry, String admission) {
    this.files = files;
    this.name = admission.equals("none") ? "weak-alloc" : "weak-alloc " + admission;
    this.cache = RegionCaches.open(budgetBytes, admission);
    this.ours = cache.unwrap(WeakAllocCache.class);
    this.manager = cache.getCacheManager().unwrap(WeakAllocCacheManager.class);
    this.regions = new RegionCache(cache, files);
    if (registry != null) {
      WeakAllocCacheMetrics.monitor(registry, cache);
      WeakAllocRegionMetrics.monitor(registry, manager);
    }
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
