package dev.weakalloc.samples.region;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import javax.cache.Cache;

/**
 * Returns region files decompressed, through a standard {@link javax.cache.Cache}, so that each
 * region is decompressed once until memory runs short: the seed's example on the JCache API.
 *
 * {@snippet :
 * try (Cache<RegionPos, byte[]> cache = RegionCaches.open(64 << 20)) {
 *   RegionCache regions = new RegionCache(cache, new RegionFiles(worldDir));
 *   byte[] file = regions.getUncompressedFile(0, 0);   // decompressed, then cached
 *   byte[] chunk = UncompressedRegion.chunk(file, AnvilLayout.chunkIndex(3, 7));
 * }
 * }
 *
 * <p>A region that fails to load is not stored: the exception reaches the caller, and the next
 * call tries the file again.
 *
 * <h2>Thread safety</h2>
 * Thread-safe if the cache is. Two threads that miss the same region at once both decompress it
 * and both store it (the same bytes); a cache loader would avoid that, at the price of hiding the
 * checked {@link ChunkLoadException} in a {@link javax.cache.integration.CacheLoaderException}.
 */
public final class RegionCache {
  private final Cache<RegionPos, byte[]> cache;
  private final RegionFiles files;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  /** A region cache over {@code cache}, which the caller keeps owning, loading from {@code files}. */
  public RegionCache(Cache<RegionPos, byte[]> cache, RegionFiles files) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.files = Objects.requireNonNull(files, "files");
  }

  /**
   * {@return the region file at {@code (regionX, regionZ)}, every chunk decompressed, in the
   * {@link UncompressedRegion} layout}
   *
   * @throws ChunkLoadException if the file is missing, truncated or a chunk is invalid; nothing is
   *     cached then
   */
  public byte[] getUncompressedFile(int regionX, int regionZ) throws ChunkLoadException {
    RegionPos pos = new RegionPos(regionX, regionZ);
    byte[] file = cache.get(pos);
    if (file != null) {
      hits.increment();
      return file;
    }
    misses.increment();
    file = files.decompress(pos);
    cache.put(pos, file);
    return file;
  }

  /** {@return the calls answered from the cache} */
  public long hits() {
    return hits.sum();
  }

  /** {@return the calls that had to read the file} */
  public long misses() {
    return misses.sum();
  }
}
