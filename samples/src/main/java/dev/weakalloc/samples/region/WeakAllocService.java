package dev.weakalloc.samples.region;

import dev.weakalloc.ArcRef;
import dev.weakalloc.WeakAlloc;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The "weak-alloc (raw API)" row: a {@link RawRegionCache} over a {@link WeakAlloc} of the budget,
 * the seed's example without JCache. Reads a chunk through the pin's zero-copy view, so that a hit copies
 * the chunk only, not the whole region.
 *
 * <p>Thread-safe.
 */
final class WeakAllocService implements RegionService {
  private final RegionFiles files;
  private final WeakAlloc alloc;
  private final RawRegionCache cache;
  private final PeakGauge peak = new PeakGauge();
  private final LongAdder requests = new LongAdder();

  WeakAllocService(RegionFiles files, long budgetBytes) {
    this.files = files;
    this.alloc = WeakAlloc.withCapacity(budgetBytes);
    this.cache = new RawRegionCache(alloc, files);
  }

  @Override
  public String name() {
    return "weak-alloc (raw API)";
  }

  @Override
  public byte[] chunk(RegionPos region, int index) throws ChunkLoadException {
    requests.increment();
    try (ArcRef<byte[]> file = cache.getUncompressedFile(region.x(), region.z())) {
      return UncompressedRegion.chunk(ByteSource.of(file.bytes()), index);
    } finally {
      peak.record(alloc.stats().usedBytes());
    }
  }

  @Override
  public RegionFiles files() {
    return files;
  }

  @Override
  public long evictions() {
    return alloc.stats().evictions();
  }

  @Override
  public long peakBytes() {
    return peak.peak();
  }

  /**
   * {@inheritDoc} Here Micrometer's cache meters read from the allocator's stats (a miss is a
   * decompression, and each miss puts), with {@code cacheManager=none}.
   */
  @Override
  public void bindTo(MeterRegistry registry, Tags tags) {
    new RawCacheMetrics(this, Tags.concat(tags, "cacheManager", "none")).bindTo(registry);
  }

  @Override
  public void close() {
    alloc.close();
  }

  /** Micrometer's cache meters over the raw row. Thread-safe; holds the service weakly. */
  private static final class RawCacheMetrics extends CacheMeterBinder<WeakAllocService> {
    RawCacheMetrics(WeakAllocService service, Tags tags) {
      super(service, RegionCaches.CACHE_NAME, tags);
    }

    private long read(java.util.function.ToLongFunction<WeakAllocService> figure) {
      WeakAllocService service = getCache();
      return service == null ? 0 : figure.applyAsLong(service);
    }

    @Override
    protected Long size() {
      return read(s -> s.alloc.stats().liveValues());
    }

    @Override
    protected long hitCount() {
      return read(s -> s.requests.sum() - s.files.decompressions());
    }

    @Override
    protected Long missCount() {
      return read(s -> s.files.decompressions());
    }

    @Override
    protected Long evictionCount() {
      return read(WeakAllocService::evictions);
    }

    @Override
    protected long putCount() {
      return read(s -> s.files.decompressions());
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {}
  }
}
