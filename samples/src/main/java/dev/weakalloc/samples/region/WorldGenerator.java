package dev.weakalloc.samples.region;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * Generates a world of valid region files, since no real world ships with the samples: {@code size}
 * by {@code size} regions centred on the spawn at (0, 0), half explored near the spawn and ever
 * more sparsely further out, as a world that players have walked out from. Chunks are mostly zlib,
 * some gzip and a few uncompressed, like the mix a long-lived world accumulates. Deterministic from
 * the seed.
 *
 * <p>Immutable; thread-safe.
 */
public final class WorldGenerator {
  /** The file that records what a world folder holds; absent or different means regenerate. */
  static final String MARKER = "world.properties";
  private static final int FORMAT = 1;
  private static final int TIMESTAMP = 1_750_000_000;

  private final long seed;
  private final int size;
  private final ChunkGenerator chunks;

  /**
   * A generator of {@code size} by {@code size} regions.
   *
   * @throws IllegalArgumentException if size is not positive
   */
  public WorldGenerator(long seed, int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("world size must be positive: " + size);
    }
    this.seed = seed;
    this.size = size;
    this.chunks = new ChunkGenerator(seed);
  }

  /** {@return the regions of the world, row by row: x and z in [-size/2, size - size/2)} */
  public List<RegionPos> regions() {
    List<RegionPos> regions = new ArrayList<>(size * size);
    for (int z = -size / 2; z < size - size / 2; z++) {
      for (int x = -size / 2; x < size - size / 2; x++) {
        regions.add(new RegionPos(x, z));
      }
    }
    return regions;
  }

  /**
   * Generates the world into {@code dir} unless it already holds this world (same seed, size and
   * format, as recorded in its marker file). It writes only into a folder that is new, empty, or
   * one the demo wrote before (it holds the marker file): never over files of the user's own.
   *
   * @param onRegion called after each region file is written, from the generating threads
   * @return the world
   * @throws IOException if a file cannot be written, or {@code dir} is a file, or a folder holding
   *     files the demo did not write
   */
  public World ensure(Path dir, int threads, Runnable onRegion) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IOException("--world-dir " + dir + " is a file, not a folder");
    }
    String marker = readMarker(dir);
    if (marker.startsWith(spec())) {
      return new World(dir, Long.parseLong(marker.substring(spec().length()).strip()), false);
    }
    refuseForeignFiles(dir);
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(MARKER));
    LongAdder total = new LongAdder();
    runAll(threads, regions().stream().<Runnable>map(pos -> () -> {
      total.add(writeRegion(dir, pos));
      onRegion.run();
    }).toList());
    Files.writeString(dir.resolve(MARKER), spec() + total.sum() + "\n");
    return new World(dir, total.sum(), true);
  }

  /**
   * A generated world.
   *
   * @param dir the folder of its region files
   * @param decompressedBytes the size of all its regions once decompressed
   * @param generated whether it was generated just now (false: found and reused)
   */
  public record World(Path dir, long decompressedBytes, boolean generated) {}

  /**
   * Writes one region file into {@code dir}.
   *
   * @return its size once decompressed, in the {@link UncompressedRegion} layout
   * @throws UncheckedIOException if it cannot be written
   */
  public long writeRegion(Path dir, RegionPos pos) {
    long decompressed = UncompressedRegion.INDEX_BYTES;
    byte[][] payloads = new byte[AnvilLayout.CHUNKS][];
    Compression[] compressions = new Compression[AnvilLayout.CHUNKS];
    for (int index = 0; index < AnvilLayout.CHUNKS; index++) {
      int chunkX = pos.x() * AnvilLayout.CHUNKS_PER_SIDE + AnvilLayout.localX(index);
      int chunkZ = pos.z() * AnvilLayout.CHUNKS_PER_SIDE + AnvilLayout.localZ(index);
      if (isExplored(chunkX, chunkZ)) {
        payloads[index] = chunks.generate(chunkX, chunkZ);
        decompressed += payloads[index].length;
        compressions[index] = compressionOf(chunkX, chunkZ);
      }
    }
    try {
      AnvilWriter.write(dir.resolve(pos.fileName()), payloads, compressions, TIMESTAMP);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return decompressed;
  }

  /**
   * {@return whether the chunk was ever generated}: half of them within half the world's radius of
   * the spawn, then ever fewer with the distance, down to 3%.
   */
  boolean isExplored(int chunkX, int chunkZ) {
    double radius = size * AnvilLayout.CHUNKS_PER_SIDE / 2.0;
    double distance = Math.hypot(chunkX + 0.5, chunkZ + 0.5);
    double chance = Math.clamp(Math.exp(-(distance - radius / 2) / (radius / 5)), 0.03, 0.5);
    return Seeds.unit(Seeds.mix(seed, chunkX, chunkZ, 1)) < chance;
  }

  private Compression compressionOf(int chunkX, int chunkZ) {
    double u = Seeds.unit(Seeds.mix(seed, chunkX, chunkZ, 2));
    return u < 0.85 ? Compression.ZLIB : u < 0.95 ? Compression.GZIP : Compression.NONE;
  }

  private String spec() {
    return "format=" + FORMAT + "\nsize=" + size + "\nseed=" + seed + "\ndecompressedBytes=";
  }

  /** Fails if {@code dir} holds files and no marker: they are not the demo's to overwrite. */
  private static void refuseForeignFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir) || Files.exists(dir.resolve(MARKER))) {
      return;
    }
    try (var entries = Files.list(dir)) {
      List<String> names = entries.map(p -> p.getFileName().toString()).sorted().limit(3).toList();
      if (!names.isEmpty()) {
        throw new IOException("--world-dir " + dir + " holds files the demo did not write ("
            + String.join(", ", names) + (names.size() == 3 ? ", ..." : "")
            + "); it writes a world only into a new or empty folder, or one it wrote before");
      }
    }
  }

  private static String readMarker(Path dir) throws IOException {
    Path marker = dir.resolve(MARKER);
    return Files.isRegularFile(marker) ? Files.readString(marker) : "";
  }

  private static void runAll(int threads, List<Runnable> tasks) throws IOException {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> futures = tasks.stream().<Future<?>>map(pool::submit).toList();
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof UncheckedIOException io ? io.getCause()
          : new IOException("world generation failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while generating the world", e);
    }
  }
}
