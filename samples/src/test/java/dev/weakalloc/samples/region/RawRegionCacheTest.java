package dev.weakalloc.samples.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.ArcRef;
import dev.weakalloc.WeakAlloc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawRegionCacheTest {
  private static final RegionPos A = new RegionPos(0, 0);
  private static final RegionPos B = new RegionPos(0, 1);

  @TempDir Path dir;

  @Test
  void getUncompressedFile_decompressesOnceWhileThereIsRoom() throws IOException {
    byte[][] chunks = TestRegions.write(dir, A, 12, Compression.ZLIB);
    RegionFiles files = new RegionFiles(dir);
    try (WeakAlloc alloc = WeakAlloc.withCapacity(8 << 20)) {
      RawRegionCache cache = new RawRegionCache(alloc, files);

      try (ArcRef<byte[]> first = cache.getUncompressedFile(0, 0);
          ArcRef<byte[]> second = cache.getUncompressedFile(0, 0)) {
        assertThat(second.get()).isEqualTo(first.get());
        assertThat(UncompressedRegion.chunk(ByteSource.of(second.bytes()), 11))
            .isEqualTo(chunks[11]);
      }
      assertThat(files.decompressions()).isEqualTo(1);
      assertThat(alloc.stats().liveValues()).isEqualTo(1);
    }
  }

  @Test
  void getUncompressedFile_reloadsWhatTheAllocatorEvicted() throws IOException {
    TestRegions.write(dir, A, 150, Compression.ZLIB); // ~1.8 MiB each: not both in 3 MiB
    TestRegions.write(dir, B, 150, Compression.ZLIB);
    RegionFiles files = new RegionFiles(dir);
    try (WeakAlloc alloc = WeakAlloc.withCapacity(3 << 20)) {
      RawRegionCache cache = new RawRegionCache(alloc, files);

      cache.getUncompressedFile(A.x(), A.z()).close();
      cache.getUncompressedFile(B.x(), B.z()).close(); // evicts A
      cache.getUncompressedFile(A.x(), A.z()).close();

      assertThat(files.decompressions()).isEqualTo(3);
      assertThat(alloc.stats().evictions()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void failedLoad_storesNothing_andTheFixedFileLoads() throws IOException {
    TestRegions.write(dir, A, 3, Compression.GZIP);
    Path file = dir.resolve(A.fileName());
    byte[] good = Files.readAllBytes(file);
    Files.write(file, new byte[AnvilLayout.HEADER_BYTES - 1]);
    try (WeakAlloc alloc = WeakAlloc.withCapacity(4 << 20)) {
      RawRegionCache cache = new RawRegionCache(alloc, new RegionFiles(dir));

      assertThatThrownBy(() -> cache.getUncompressedFile(0, 0))
          .isInstanceOf(ChunkLoadException.class)
          .hasMessageContaining("truncated");
      assertThat(alloc.stats().liveValues()).isZero();

      Files.write(file, good);
      try (ArcRef<byte[]> region = cache.getUncompressedFile(0, 0)) {
        assertThat(UncompressedRegion.chunk(region.get(), 2)).isNotNull();
      }
    }
  }
}
