package dev.weakalloc.samples.region;

import static dev.weakalloc.samples.region.AnvilLayout.CHUNKS;
import static dev.weakalloc.samples.region.AnvilLayout.HEADER_BYTES;
import static dev.weakalloc.samples.region.AnvilLayout.HEADER_SECTORS;
import static dev.weakalloc.samples.region.AnvilLayout.MAX_SECTOR_COUNT;
import static dev.weakalloc.samples.region.AnvilLayout.SECTOR_BYTES;
import static dev.weakalloc.samples.region.AnvilLayout.TIMESTAMPS_OFFSET;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes Anvil region files ({@link AnvilLayout}): compresses each chunk and lays the chunks out in
 * whole sectors after the two tables. Writes to a temporary file, then moves it into place, so that
 * a reader never sees half a file.
 *
 * <p>Stateless; thread-safe.
 */
public final class AnvilWriter {
  private AnvilWriter() {}

  /**
   * Writes a region file.
   *
   * @param file the file to write, replaced if it exists
   * @param chunks 1024 uncompressed chunk payloads, null where absent
   * @param compressions the compression of each chunk (ignored where the chunk is absent)
   * @param timestamp the modification time stored for every chunk, in epoch seconds
   * @throws IllegalArgumentException if the arrays are not of 1024, or a chunk needs more than
   *     255 sectors (1 MiB) once compressed
   * @throws UnsupportedOperationException if a compression is not supported
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, byte[][] chunks, Compression[] compressions, int timestamp)
      throws IOException {
    if (chunks.length != CHUNKS || compressions.length != CHUNKS) {
      throw new IllegalArgumentException("expected 1024 chunks and compressions");
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    var body = new ByteArrayOutputStream();
    int sector = HEADER_SECTORS;
    for (int index = 0; index < CHUNKS; index++) {
      if (chunks[index] != null) {
        int sectors = appendChunk(body, chunks[index], compressions[index], index);
        header.putInt(index * 4, sector << 8 | sectors);
        header.putInt(TIMESTAMPS_OFFSET + index * 4, timestamp);
        sector += sectors;
      }
    }
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (var out = Files.newOutputStream(temporary)) {
      out.write(header.array());
      body.writeTo(out);
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Appends one chunk, zero padded to whole sectors; returns the sectors it takes. */
  private static int appendChunk(
      ByteArrayOutputStream body, byte[] chunk, Compression compression, int index) {
    byte[] data = compression.compress(chunk);
    int sectors = AnvilLayout.sectorsFor(data.length);
    if (sectors > MAX_SECTOR_COUNT) {
      throw new IllegalArgumentException("chunk " + index + " needs " + sectors
          + " sectors once compressed; at most " + MAX_SECTOR_COUNT + " fit a location entry");
    }
    ByteBuffer out = ByteBuffer.allocate(sectors * SECTOR_BYTES);
    out.putInt(data.length + 1).put((byte) compression.id()).put(data);
    body.writeBytes(out.array());
    return sectors;
  }
}
