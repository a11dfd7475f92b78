package dev.weakalloc.samples.region;

import dev.weakalloc.ArcRef;
import dev.weakalloc.Codecs;
import dev.weakalloc.WeakAlloc;
import dev.weakalloc.WeakRef;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seed's example on the raw allocator: a map from region to {@link WeakRef}, upgraded on a hit
 * and given to the {@link WeakAlloc} on a miss. The allocator evicts the least recently used
 * regions only when it has no room; their map entries then fail to upgrade and are reloaded.
 *
 * <p>Thread-safe: the seed's {@code HashMap} is a {@link ConcurrentHashMap} here, so that threads
 * can share the cache. Two threads that miss the same region at once both decompress it.
 */
public final class RawRegionCache {
  private final WeakAlloc alloc;
  private final RegionFiles files;
  // Cache (region x, region z) to uncompressed file, so each region file is only uncompressed once
  private final Map<RegionPos, WeakRef<byte[]>> cache = new ConcurrentHashMap<>();

  /** A cache that gives the decompressed files of {@code files} to {@code alloc}. */
  public RawRegionCache(WeakAlloc alloc, RegionFiles files) {
    this.alloc = alloc;
    this.files = files;
  }

  // @start region="get-uncompressed-file"
  /**
   * {@return the region file, decompressed, pinned: close it when done}
   *
   * @throws ChunkLoadException if the file is missing, truncated or a chunk is invalid
   */
  public ArcRef<byte[]> getUncompressedFile(int regionX, int regionZ) throws ChunkLoadException {
    RegionPos pos = new RegionPos(regionX, regionZ);
    Optional<ArcRef<byte[]>> arcRef =
        Optional.ofNullable(cache.get(pos)).flatMap(WeakRef::upgrade);

    if (arcRef.isPresent()) {
      // Return value from cache
      return arcRef.get();
    } else {
      // Not in the cache, or upgrade failed because the value was evicted, so read the file.
      // Uncompress file
      byte[] buf = files.decompress(pos);
      // Give ownership to allocator
      ArcRef<byte[]> pinned = alloc.giveAndUpgrade(buf, Codecs.bytes());
      // Insert into cache
      cache.put(pos, pinned.downgrade());

      return pinned;
    }
  }
  // @end
}
