package dev.weakalloc.samples.region;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Test fixture: small region files written straight from the chunk generator. */
final class TestRegions {
  static final long SEED = 7;

  private TestRegions() {}

  /** {@return the chunks of a region with its first {@code count} chunks present} */
  static byte[][] chunks(RegionPos pos, int count) {
    ChunkGenerator generator = new ChunkGenerator(SEED);
    byte[][] chunks = new byte[AnvilLayout.CHUNKS][];
    for (int i = 0; i < count; i++) {
      chunks[i] = generator.generate(pos.x() * 32 + AnvilLayout.localX(i),
          pos.z() * 32 + AnvilLayout.localZ(i));
    }
    return chunks;
  }

  /** Writes a region of {@code count} chunks, all with {@code compression}; returns its chunks. */
  static byte[][] write(Path dir, RegionPos pos, int count, Compression compression)
      throws IOException {
    byte[][] chunks = chunks(pos, count);
    Compression[] compressions = new Compression[AnvilLayout.CHUNKS];
    Arrays.fill(compressions, compression);
    AnvilWriter.write(dir.resolve(pos.fileName()), chunks, compressions, 1_700_000_000);
    return chunks;
  }
}
