package dev.weakalloc.samples.region;

import java.io.Serializable;

/**
 * The coordinates of a region: a square of 32 by 32 chunks, stored in the file {@code
 * r.<x>.<z>.mca}. The cache key of the samples.
 *
 * <p>Immutable and thread-safe.
 *
 * @param x the region's x coordinate (chunk x divided by 32, rounded down)
 * @param z the region's z coordinate (chunk z divided by 32, rounded down)
 */
public record RegionPos(int x, int z) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** {@return the region that holds the chunk at chunk coordinates {@code (chunkX, chunkZ)}} */
  public static RegionPos ofChunk(int chunkX, int chunkZ) {
    return new RegionPos(Math.floorDiv(chunkX, AnvilLayout.CHUNKS_PER_SIDE),
        Math.floorDiv(chunkZ, AnvilLayout.CHUNKS_PER_SIDE));
  }

  /** {@return the name of this region's file, {@code r.<x>.<z>.mca}} */
  public String fileName() {
    return "r." + x + "." + z + ".mca";
  }

  @Override
  public String toString() {
    return "(" + x + ", " + z + ")";
  }
}
