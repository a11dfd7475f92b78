package dev.weakalloc.samples.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of damage gives a {@link ChunkLoadException} naming the file and the chunk. */
class AnvilReaderErrorTest {
  private static final RegionPos POS = new RegionPos(1, -1);
  private static final int CHUNK = 5; // local x = 5, z = 0

  @TempDir Path dir;
  Path file;

  @BeforeEach
  void writeRegion() throws IOException {
    file = dir.resolve(POS.fileName());
    TestRegions.write(dir, POS, 8, Compression.ZLIB);
  }

  @Test
  void fileShorterThanTheHeader() throws IOException {
    Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 5000));

    assertThatThrownBy(() -> AnvilReader.decompress(file))
        .isInstanceOf(ChunkLoadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated: 5000 bytes")
        .satisfies(e -> assertThat(((ChunkLoadException) e).chunkIndex())
            .isEqualTo(ChunkLoadException.WHOLE_FILE));
  }

  @Test
  void chunkCutOffByTheEndOfTheFile() throws IOException {
    int start = sectorOf(CHUNK + 1) * AnvilLayout.SECTOR_BYTES; // chunks 6 and 7 lie beyond
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, start + 100));

    assertChunkError(CHUNK + 1, "run past the end of the file");
  }

  @Test
  void locationPastTheEndOfTheFile() throws IOException {
    edit(b -> b.putInt(CHUNK * 4, 5000 << 8 | 1));

    assertChunkError(CHUNK, "location points past the end of the file (sector 5000");
  }

  @Test
  void locationIntoTheHeader() throws IOException {
    edit(b -> b.putInt(CHUNK * 4, 1 << 8 | 1));

    assertChunkError(CHUNK, "location points into the header (sector 1)");
  }

  @Test
  void locationWithoutSectors() throws IOException {
    edit(b -> b.putInt(CHUNK * 4, b.getInt(CHUNK * 4) & ~0xFF));

    assertChunkError(CHUNK, "sector count of 0");
  }

  @Test
  void lengthLargerThanItsSectors() throws IOException {
    edit(b -> b.putInt(chunkStart(b), 100_000));

    assertChunkError(CHUNK, "chunk length 100000 does not fit");
  }

  @Test
  void unknownCompressionType() throws IOException {
    edit(b -> b.put(chunkStart(b) + 4, (byte) 9));

    assertChunkError(CHUNK, "unknown compression type 9");
  }

  @Test
  void lz4IsReportedUnsupported() throws IOException {
    edit(b -> b.put(chunkStart(b) + 4, (byte) 4));

    assertChunkError(CHUNK, "compression type 4 (LZ4) is not supported");
  }

  @Test
  void externalChunkIsReportedUnsupported() throws IOException {
    edit(b -> b.put(chunkStart(b) + 4, (byte) (128 | 2)));

    assertChunkError(CHUNK, "external .mcc file");
  }

  @Test
  void corruptZlibData() throws IOException {
    edit(b -> b.putLong(chunkStart(b) + 7, 0x0123456789ABCDEFL));

    assertChunkError(CHUNK, "corrupt ZLIB data");
  }

  @Test
  void corruptGzipData() throws IOException {
    TestRegions.write(dir, POS, 8, Compression.GZIP);
    edit(b -> b.putInt(chunkStart(b) + 5, 0xCAFEBABE)); // the gzip magic

    assertChunkError(CHUNK, "corrupt GZIP data");
  }

  @Test
  void truncatedZlibStream() throws IOException {
    edit(b -> b.putInt(chunkStart(b), 20)); // the stream stops after 19 bytes

    assertChunkError(CHUNK, "corrupt ZLIB data");
  }

  @Test
  void missingFile() {
    Path missing = dir.resolve("r.9.9.mca");

    assertThatThrownBy(() -> AnvilReader.decompress(missing))
        .isInstanceOf(ChunkLoadException.class)
        .hasMessage(missing + ": no such region file");
  }

  private void assertChunkError(int index, String message) {
    assertThatThrownBy(() -> AnvilReader.decompress(file))
        .isInstanceOf(ChunkLoadException.class)
        .hasMessageStartingWith(file + ", chunk " + index + " (x=" + index + ", z=0): ")
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((ChunkLoadException) e).chunkIndex()).isEqualTo(index))
        .satisfies(e -> assertThat(((ChunkLoadException) e).file()).isEqualTo(file));
  }

  private int sectorOf(int index) throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(file)).getInt(index * 4) >>> 8;
  }

  private static int chunkStart(ByteBuffer bytes) {
    return (bytes.getInt(CHUNK * 4) >>> 8) * AnvilLayout.SECTOR_BYTES;
  }

  private void edit(Consumer<ByteBuffer> change) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
    change.accept(bytes);
    Files.write(file, bytes.array());
  }
}
