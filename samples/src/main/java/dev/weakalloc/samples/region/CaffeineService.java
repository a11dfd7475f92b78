package dev.weakalloc.samples.region;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.io.UncheckedIOException;

/**
 * The Caffeine row: a plain on-heap Caffeine cache bounded by the same byte budget, each region
 * weighed by its length. Maintenance runs in the calling thread, so that the peak it reports is
 * what the cache really held.
 *
 * <p>Thread-safe.
 */
final class CaffeineService implements RegionService {
  private final RegionFiles files;
  private final Cache<RegionPos, byte[]> cache;
  private final PeakGauge peak = new PeakGauge();

  CaffeineService(RegionFiles files, long budgetBytes) {
    this.files = files;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(budgetBytes)
        .weigher((RegionPos pos, byte[] file) -> file.length)
        .executor(Runnable::run)
        .recordStats()
        .build();
  }

  @Override
  public String name() {
    return "Caffeine";
  }

  @Override
  public byte[] chunk(RegionPos region, int index) throws ChunkLoadException {
    try {
      return UncompressedRegion.chunk(cache.get(region, this::load), index);
    } catch (UncheckedIOException e) {
      throw (ChunkLoadException) e.getCause();
    } finally {
      peak.record(cache.policy().eviction().orElseThrow().weightedSize().orElse(0));
    }
  }

  private byte[] load(RegionPos region) {
    try {
      return files.decompress(region);
    } catch (ChunkLoadException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public RegionFiles files() {
    return files;
  }

  @Override
  public long evictions() {
    return cache.stats().evictionCount();
  }

  @Override
  public long peakBytes() {
    return peak.peak();
  }

  /** {@inheritDoc} Here Micrometer's own Caffeine binder, with {@code cacheManager=none}. */
  @Override
  public void bindTo(MeterRegistry registry, Tags tags) {
    CaffeineCacheMetrics.monitor(registry, cache, RegionCaches.CACHE_NAME,
        Tags.concat(tags, "cacheManager", "none"));
  }

  @Override
  public void close() {
    cache.invalidateAll();
  }
}
