package dev.weakalloc.samples.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldGeneratorTest {
  @TempDir Path dir;

  @Test
  void ensure_writesReadableRegions_thenReusesThem() throws IOException {
    WorldGenerator generator = new WorldGenerator(11, 2);
    AtomicInteger written = new AtomicInteger();

    WorldGenerator.World world = generator.ensure(dir, 2, written::incrementAndGet);

    assertThat(written).hasValue(4);
    assertThat(world.generated()).isTrue();
    long total = 0;
    RegionFiles files = new RegionFiles(dir);
    for (RegionPos pos : generator.regions()) {
      total += files.decompress(pos).length;
    }
    assertThat(world.decompressedBytes()).isEqualTo(total);
    assertThat(generator.ensure(dir, 2, written::incrementAndGet))
        .isEqualTo(new WorldGenerator.World(dir, total, false));
    assertThat(written).hasValue(4);
  }

  @Test
  void ensure_regeneratesForAnotherSeed() throws IOException {
    new WorldGenerator(1, 1).ensure(dir, 1, () -> {});
    byte[] before = Files.readAllBytes(dir.resolve("r.0.0.mca"));

    assertThat(new WorldGenerator(2, 1).ensure(dir, 1, () -> {}).generated()).isTrue();
    assertThat(Files.readAllBytes(dir.resolve("r.0.0.mca"))).isNotEqualTo(before);
  }

  @Test
  void regions_mixCompressions_andArePartlyExplored() throws IOException {
    WorldGenerator generator = new WorldGenerator(5, 1);
    generator.writeRegion(dir, new RegionPos(0, 0));
    ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("r.0.0.mca")));

    Set<Compression> seen = EnumSet.noneOf(Compression.class);
    int present = 0;
    for (int i = 0; i < AnvilLayout.CHUNKS; i++) {
      int sector = file.getInt(i * 4) >>> 8;
      if (sector != 0) {
        present++;
        seen.add(Compression.byId(file.get(sector * AnvilLayout.SECTOR_BYTES + 4)));
      }
    }
    assertThat(seen).containsExactlyInAnyOrder(Compression.ZLIB, Compression.GZIP, Compression.NONE);
    assertThat(present).isBetween(30, AnvilLayout.CHUNKS - 30);
  }

  @Test
  void accessPattern_isDeterministic_andStaysInTheWorld() {
    AccessPattern.Request[] requests = AccessPattern.generate(3, 5000, 4);

    assertThat(requests).isEqualTo(AccessPattern.generate(3, 5000, 4));
    assertThat(requests).allSatisfy(r -> {
      assertThat(r.region().x()).isBetween(-2, 1);
      assertThat(r.region().z()).isBetween(-2, 1);
    });
  }
}
