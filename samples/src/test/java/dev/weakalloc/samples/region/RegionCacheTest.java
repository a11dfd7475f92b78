package dev.weakalloc.samples.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.WeakAllocCacheManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RegionCache} on the weak-alloc JCache provider, with a 3 MiB budget: the capacity of the
 * manager's region, set through the {@code weakalloc.region.capacity} manager property.
 */
class RegionCacheTest {
  private static final RegionPos A = new RegionPos(0, 0);
  private static final RegionPos B = new RegionPos(1, 0);

  @TempDir Path dir;
  Cache<RegionPos, byte[]> cache;
  RegionFiles files;
  RegionCache regions;

  @BeforeEach
  void open() {
    cache = RegionCaches.open(3 << 20);
    files = new RegionFiles(dir);
    regions = new RegionCache(cache, files);
  }

  @AfterEach
  void close() {
    RegionCaches.close(cache);
  }

  @Test
  void getUncompressedFile_decompressesOnceThenHits() throws IOException {
    byte[][] chunks = TestRegions.write(dir, A, 20, Compression.ZLIB);

    byte[] first = regions.getUncompressedFile(0, 0);
    byte[] second = regions.getUncompressedFile(0, 0);

    assertThat(second).isEqualTo(first);
    assertThat(UncompressedRegion.chunk(second, 19)).isEqualTo(chunks[19]);
    assertThat(regions.hits()).isEqualTo(1);
    assertThat(regions.misses()).isEqualTo(1);
    assertThat(files.decompressions()).isEqualTo(1);
    assertThat(cache.containsKey(A)).isTrue();
  }

  @Test
  void getUncompressedFile_countsEachRegionItsOwnMiss() throws IOException {
    TestRegions.write(dir, A, 5, Compression.ZLIB);
    TestRegions.write(dir, B, 5, Compression.GZIP);

    for (int round = 0; round < 3; round++) {
      regions.getUncompressedFile(A.x(), A.z());
      regions.getUncompressedFile(B.x(), B.z());
    }

    assertThat(regions.misses()).isEqualTo(2);
    assertThat(regions.hits()).isEqualTo(4);
    assertThat(files.decompressions()).isEqualTo(2);
  }

  @Test
  void open_sizesTheProvidersRegionWithTheBudget() {
    WeakAllocCacheManager manager = cache.getCacheManager().unwrap(WeakAllocCacheManager.class);
    assertThat(manager.regionStats().capacityBytes()).isEqualTo(3 << 20);
  }

  @Test
  void getUncompressedFile_decompressesAgainAfterAnEviction() throws IOException {
    TestRegions.write(dir, A, 150, Compression.ZLIB); // ~1.8 MiB each: two overflow 3 MiB
    TestRegions.write(dir, B, 150, Compression.ZLIB);

    regions.getUncompressedFile(A.x(), A.z());
    regions.getUncompressedFile(B.x(), B.z());
    regions.getUncompressedFile(A.x(), A.z());
    regions.getUncompressedFile(B.x(), B.z());

    assertThat(files.decompressions()).isEqualTo(4);
    assertThat(regions.misses()).isEqualTo(files.decompressions());
    WeakAllocCache<?, ?> ours = cache.unwrap(WeakAllocCache.class);
    assertThat(ours.statistics().evictionCount()).isEqualTo(3);
  }

  @Test
  void failedLoad_storesNothing_andTheFixedFileLoads() throws IOException {
    byte[][] chunks = TestRegions.write(dir, A, 3, Compression.ZLIB);
    Path file = dir.resolve(A.fileName());
    byte[] good = Files.readAllBytes(file);
    Files.write(file, new byte[100]);

    assertThatThrownBy(() -> regions.getUncompressedFile(0, 0))
        .isInstanceOf(ChunkLoadException.class)
        .hasMessageContaining(A.fileName());
    assertThat(cache.containsKey(A)).isFalse();

    Files.write(file, good);
    assertThat(UncompressedRegion.chunk(regions.getUncompressedFile(0, 0), 2))
        .isEqualTo(chunks[2]);
    assertThat(regions.misses()).isEqualTo(2);
  }

  @Test
  void missingRegion_isAClearError() {
    assertThatThrownBy(() -> regions.getUncompressedFile(5, 5))
        .isInstanceOf(ChunkLoadException.class)
        .hasMessageEndingWith("r.5.5.mca: no such region file");
    assertThat(cache.containsKey(new RegionPos(5, 5))).isFalse();
  }
}
