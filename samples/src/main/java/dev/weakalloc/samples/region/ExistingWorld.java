package dev.weakalloc.samples.region;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A world of real Minecraft region files that the demo did not write: a folder of {@code
 * r.<x>.<z>.mca} files (a save's {@code region} folder), or a save folder holding one. The demo
 * replays its players over it read-only: this class only lists the folder, {@link RegionFiles}
 * only reads the files, and nothing ever writes, renames or deletes there.
 *
 * <p>Immutable; thread-safe. Holds no file open and no off-heap memory.
 *
 * @param dir the folder of the region files
 * @param regions the regions that have a file, sorted
 * @param fileBytes the size of those files on disk
 */
record ExistingWorld(Path dir, List<RegionPos> regions, long fileBytes) {
  private static final Pattern REGION_FILE = Pattern.compile("r\\.(-?\\d+)\\.(-?\\d+)\\.mca");

  ExistingWorld {
    regions = List.copyOf(regions);
  }

  /**
   * {@return the world of region files in {@code dir}, or in its {@code region} folder; empty if
   * neither holds a region file or {@code dir} is a world the demo generated (it holds the marker
   * file)} Files too short to hold a region's header (Minecraft leaves empty ones behind) hold no
   * chunks, and are left out.
   *
   * @throws IOException if the folder cannot be listed
   */
  static Optional<ExistingWorld> find(Path dir) throws IOException {
    if (!Files.isDirectory(dir) || Files.exists(dir.resolve(WorldGenerator.MARKER))) {
      return Optional.empty();
    }
    Optional<ExistingWorld> here = list(dir);
    Path save = dir.resolve("region");
    return here.isPresent() || !Files.isDirectory(save) ? here : list(save);
  }

  private static Optional<ExistingWorld> list(Path dir) throws IOException {
    List<RegionPos> regions = new ArrayList<>();
    long bytes = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        Matcher name = REGION_FILE.matcher(file.getFileName().toString());
        if (name.matches() && Files.isRegularFile(file)
            && Files.size(file) >= AnvilLayout.HEADER_BYTES) {
          regions.add(new RegionPos(Integer.parseInt(name.group(1)),
              Integer.parseInt(name.group(2))));
          bytes += Files.size(file);
        }
      }
    }
    return regions.isEmpty() ? Optional.empty()
        : Optional.of(new ExistingWorld(dir, regions, bytes));
  }

  /**
   * {@return where the players walk: the chunks of the regions' bounding box, from a spawn at
   * (0, 0) if a region holds it, else at the middle of the regions}, asking only for regions that
   * have a file
   */
  AccessPattern.Area area() {
    Set<RegionPos> present = Set.copyOf(regions);
    int minX = Integer.MAX_VALUE;
    int maxX = Integer.MIN_VALUE;
    int minZ = Integer.MAX_VALUE;
    int maxZ = Integer.MIN_VALUE;
    long sumX = 0;
    long sumZ = 0;
    for (RegionPos pos : regions) {
      minX = Math.min(minX, pos.x());
      maxX = Math.max(maxX, pos.x());
      minZ = Math.min(minZ, pos.z());
      maxZ = Math.max(maxZ, pos.z());
      sumX += pos.x();
      sumZ += pos.z();
    }
    int side = AnvilLayout.CHUNKS_PER_SIDE;
    boolean spawnHeld = present.contains(new RegionPos(0, 0));
    int spawnX = spawnHeld ? 0 : (int) (sumX / regions.size()) * side + side / 2;
    int spawnZ = spawnHeld ? 0 : (int) (sumZ / regions.size()) * side + side / 2;
    return new AccessPattern.Area(minX * side, (maxX + 1) * side - 1, minZ * side,
        (maxZ + 1) * side - 1, spawnX, spawnZ, present::contains);
  }
}
