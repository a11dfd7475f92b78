package dev.weakalloc.samples.region;

/**
 * The baseline row: every request reads and decompresses the region file.
 *
 * <p>Thread-safe.
 */
final class NoCacheService implements RegionService {
  private final RegionFiles files;

  NoCacheService(RegionFiles files) {
    this.files = files;
  }

  @Override
  public String name() {
    return "no cache";
  }

  @Override
  public byte[] chunk(RegionPos region, int index) throws ChunkLoadException {
    return UncompressedRegion.chunk(files.decompress(region), index);
  }

  @Override
  public RegionFiles files() {
    return files;
  }

  @Override
  public long evictions() {
    return -1;
  }

  @Override
  public long peakBytes() {
    return -1;
  }

  @Override
  public void close() {}
}
