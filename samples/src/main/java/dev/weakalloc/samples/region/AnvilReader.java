package dev.weakalloc.samples.region;

import static dev.weakalloc.samples.region.AnvilLayout.CHUNKS;
import static dev.weakalloc.samples.region.AnvilLayout.CHUNK_HEADER_BYTES;
import static dev.weakalloc.samples.region.AnvilLayout.EXTERNAL_FLAG;
import static dev.weakalloc.samples.region.AnvilLayout.HEADER_BYTES;
import static dev.weakalloc.samples.region.AnvilLayout.HEADER_SECTORS;
import static dev.weakalloc.samples.region.AnvilLayout.SECTOR_BYTES;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads Anvil region files ({@link AnvilLayout}) and decompresses them into the {@link
 * UncompressedRegion} layout. Validates as it goes: every problem is a {@link ChunkLoadException}
 * naming the file and the chunk.
 *
 * <p>Stateless; thread-safe.
 */
public final class AnvilReader {
  private AnvilReader() {}

  /**
   * {@return every chunk of the region file, decompressed, in the {@link UncompressedRegion}
   * layout}
   *
   * @throws ChunkLoadException if the file cannot be read, is truncated, or a chunk is invalid
   */
  public static byte[] decompress(Path file) throws ChunkLoadException {
    return UncompressedRegion.pack(readChunks(file));
  }

  /**
   * {@return the 1024 chunks of the region file, decompressed, null where absent}
   *
   * @throws ChunkLoadException if the file cannot be read, is truncated, or a chunk is invalid
   */
  public static byte[][] readChunks(Path file) throws ChunkLoadException {
    ByteBuffer bytes = ByteBuffer.wrap(readFile(file));
    if (bytes.limit() < HEADER_BYTES) {
      throw ChunkLoadException.ofFile(file, "truncated: " + bytes.limit()
          + " bytes, but the location and timestamp tables alone take " + HEADER_BYTES, null);
    }
    byte[][] chunks = new byte[CHUNKS][];
    for (int index = 0; index < CHUNKS; index++) {
      chunks[index] = readChunk(file, bytes, index);
    }
    return chunks;
  }

  private static byte[] readFile(Path file) throws ChunkLoadException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw ChunkLoadException.ofFile(file, "no such region file", e);
    } catch (IOException e) {
      throw ChunkLoadException.ofFile(file, "cannot read: " + e, e);
    }
  }

  private static byte[] readChunk(Path file, ByteBuffer bytes, int index)
      throws ChunkLoadException {
    int location = bytes.getInt(index * 4);
    int sector = location >>> 8;
    int sectors = location & 0xFF;
    if (sector == 0 && sectors == 0) {
      return null;
    }
    int start = checkLocation(file, bytes.limit(), index, sector, sectors);
    int length = bytes.getInt(start);
    int dataBytes = length - 1;
    if (length < 1 || 4 + (long) length > (long) sectors * SECTOR_BYTES) {
      throw ChunkLoadException.ofChunk(file, index, "chunk length " + length
          + " does not fit its " + sectors + " sector(s)", null);
    }
    if ((long) start + CHUNK_HEADER_BYTES + dataBytes > bytes.limit()) {
      throw ChunkLoadException.ofChunk(file, index, "truncated: the chunk's " + length
          + " bytes at offset " + start + " run past the end of the file (" + bytes.limit()
          + " bytes)", null);
    }
    Compression compression = compression(file, index, bytes.get(start + 4) & 0xFF);
    try {
      return compression.decompress(bytes.array(), start + CHUNK_HEADER_BYTES, dataBytes);
    } catch (IOException e) {
      throw ChunkLoadException.ofChunk(file, index,
          "corrupt " + compression + " data (" + dataBytes + " bytes): " + e.getMessage(), e);
    }
  }

  /** {@return the byte offset of the chunk} after checking its sectors lie in the file. */
  private static int checkLocation(Path file, int fileBytes, int index, int sector, int sectors)
      throws ChunkLoadException {
    if (sector < HEADER_SECTORS) {
      throw ChunkLoadException.ofChunk(file, index,
          "location points into the header (sector " + sector + ")", null);
    }
    if (sectors == 0) {
      throw ChunkLoadException.ofChunk(file, index,
          "location at sector " + sector + " has a sector count of 0", null);
    }
    long start = (long) sector * SECTOR_BYTES;
    if (start + CHUNK_HEADER_BYTES > fileBytes) {
      throw ChunkLoadException.ofChunk(file, index, "location points past the end of the file"
          + " (sector " + sector + ", file of " + fileBytes + " bytes)", null);
    }
    return (int) start;
  }

  private static Compression compression(Path file, int index, int type)
      throws ChunkLoadException {
    if ((type & EXTERNAL_FLAG) != 0) {
      throw ChunkLoadException.ofChunk(file, index, "compression type " + type
          + ": the chunk is stored in an external .mcc file, which is not supported", null);
    }
    Compression compression = Compression.byId(type);
    if (compression == null) {
      throw ChunkLoadException.ofChunk(file, index, "unknown compression type " + type, null);
    }
    if (!compression.isSupported()) {
      throw ChunkLoadException.ofChunk(file, index,
          "compression type " + type + " (" + compression + ") is not supported", null);
    }
    return compression;
  }
}
