package dev.weakalloc.samples.region;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * One way of serving chunks to the {@link Replay}: through a cache, or straight from the files.
 * Each demo row is one implementation over its own {@link RegionFiles}, which counts the
 * decompressions.
 *
 * <p>Implementations are thread-safe.
 */
interface RegionService extends AutoCloseable {
  /** {@return the name of the row in the results table} */
  String name();

  /**
   * {@return the decompressed payload of chunk {@code index} of region {@code region}, or null if
   * the chunk is absent}
   *
   * @throws ChunkLoadException if the region file cannot be read
   */
  byte[] chunk(RegionPos region, int index) throws ChunkLoadException;

  /** {@return the region files this service decompresses} */
  RegionFiles files();

  /** {@return the values evicted so far, or -1 if this service does not know} */
  long evictions();

  /** {@return the most bytes the cached values took at once, or -1 if unknown} */
  long peakBytes();

  /**
   * Binds this row's cache to {@code registry} with Micrometer's cache meters ({@code cache.gets},
   * {@code cache.evictions}, {@code cache.size}...), each tagged {@code tags} and {@code
   * cacheManager}; nothing for a row without a cache. The meters hold the cache weakly and read
   * it after {@link #close()} too, so the final figures stay while the service is reachable.
   */
  default void bindTo(MeterRegistry registry, Tags tags) {}

  /** Releases the cache. */
  @Override
  void close();
}
