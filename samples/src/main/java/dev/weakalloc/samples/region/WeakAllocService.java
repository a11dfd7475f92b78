package dev.weakalloc.samples.region;

import dev.weakalloc.ArcRef;
import dev.weakalloc.WeakAlloc;

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

  @Override
  public void close() {
    alloc.close();
  }
}
