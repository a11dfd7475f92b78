package dev.weakalloc.samples.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AnvilRoundTripTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"GZIP", "ZLIB", "NONE"})
  void readChunks_returnsWhatWasWritten(Compression compression) throws IOException {
    RegionPos pos = new RegionPos(-1, 2);
    byte[][] written = TestRegions.write(dir, pos, 40, compression);

    byte[][] read = AnvilReader.readChunks(dir.resolve(pos.fileName()));

    assertThat(read).isDeepEqualTo(written);
    assertThat(read[40]).isNull();
  }

  @Test
  void write_laysChunksInWholeSectorsWithTheirCompressionByte() throws IOException {
    RegionPos pos = new RegionPos(0, 0);
    TestRegions.write(dir, pos, 3, Compression.GZIP);
    ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(pos.fileName())));

    assertThat(file.limit() % AnvilLayout.SECTOR_BYTES).isZero();
    int location = file.getInt(0);
    assertThat(location >>> 8).isEqualTo(AnvilLayout.HEADER_SECTORS);
    assertThat(file.get((location >>> 8) * AnvilLayout.SECTOR_BYTES + 4)).isEqualTo((byte) 1);
    assertThat(file.getInt(AnvilLayout.TIMESTAMPS_OFFSET)).isEqualTo(1_700_000_000);
    assertThat(file.getInt(3 * 4)).isZero();
  }

  @Test
  void decompress_packsEveryChunkSoThatEachCanBeReadBack() throws IOException {
    RegionPos pos = new RegionPos(3, -4);
    byte[][] written = TestRegions.write(dir, pos, 10, Compression.ZLIB);

    byte[] file = AnvilReader.decompress(dir.resolve(pos.fileName()));

    long payloads = 0;
    for (int i = 0; i < AnvilLayout.CHUNKS; i++) {
      assertThat(UncompressedRegion.chunk(file, i)).isEqualTo(written[i]);
      payloads += written[i] == null ? 0 : written[i].length;
    }
    assertThat(file).hasSize((int) (UncompressedRegion.INDEX_BYTES + payloads));
  }

  @Test
  void generatedChunk_isNbtOfAMinecraftChunk() throws IOException {
    byte[] nbt = new ChunkGenerator(1).generate(-5, 9);

    Map<String, Object> root = NbtReader.parse(nbt);

    assertThat(root).containsEntry("xPos", -5).containsEntry("zPos", 9)
        .containsEntry("DataVersion", ChunkGenerator.DATA_VERSION)
        .containsEntry("Status", "minecraft:full")
        .containsKeys("sections", "Heightmaps", "block_entities", "structures");
    assertThat((java.util.List<?>) root.get("sections")).hasSize(ChunkGenerator.SECTIONS);
    assertThat(nbt.length).isBetween(4 << 10, 32 << 10);
    assertThat(Compression.ZLIB.compress(nbt).length).isLessThan(nbt.length / 4);
  }

  @Test
  void generatedChunk_isDeterministic() {
    assertThat(new ChunkGenerator(3).generate(1, 2)).isEqualTo(new ChunkGenerator(3).generate(1, 2));
    assertThat(new ChunkGenerator(3).generate(1, 2)).isNotEqualTo(new ChunkGenerator(4).generate(1, 2));
  }

  @Test
  void packedArray_roundTrips() {
    int[] values = {0, 5, 511, 3, 256, 1, 2, 3, 4, 5, 6};
    long[] packed = PackedArray.pack(values, 9);
    assertThat(packed).hasSize(2); // 7 values of 9 bits per long
    for (int i = 0; i < values.length; i++) {
      assertThat(PackedArray.get(packed, 9, i)).isEqualTo(values[i]);
    }
  }
}
