package dev.weakalloc.samples.region;

import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * The region files of a world folder, read and decompressed on demand: the seed's {@code
 * uncompress_file(region_x, region_z)}. Counts the decompressions, which is what the caches are
 * there to save.
 *
 * <p>Thread-safe: each call reads its file independently.
 */
public final class RegionFiles {
  private final Path worldDir;
  private final LongAdder decompressions = new LongAdder();

  /** Region files in {@code worldDir}, named {@code r.<x>.<z>.mca}. */
  public RegionFiles(Path worldDir) {
    this.worldDir = worldDir;
  }

  /** {@return the path of the file of region {@code pos}} */
  public Path pathOf(RegionPos pos) {
    return worldDir.resolve(pos.fileName());
  }

  /**
   * {@return the region file, every chunk decompressed, in the {@link UncompressedRegion} layout}
   * Counts one decompression, failed or not.
   *
   * @throws ChunkLoadException if the file is missing, truncated or a chunk is invalid
   */
  public byte[] decompress(RegionPos pos) throws ChunkLoadException {
    decompressions.increment();
    return AnvilReader.decompress(pathOf(pos));
  }

  /** {@return the decompressions so far} */
  public long decompressions() {
    return decompressions.sum();
  }
}
