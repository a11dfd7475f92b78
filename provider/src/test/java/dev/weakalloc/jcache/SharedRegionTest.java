package dev.weakalloc.jcache;

import static dev.weakalloc.jcache.TestCaches.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caches share their manager's region unless they ask for their own. */
class SharedRegionTest {
  @TempDir Path dir;

  @Test
  void caches_shareTheManagersRegion_soOneCachesPutsEvictTheOthersValues() throws Exception {
    Path file = dir.resolve("shared.properties");
    Files.writeString(file, "weakalloc.region.capacity=1MiB\n");
    try (WeakAllocCacheManager manager = TestCaches.newManager(file.toUri())) {
      var config = new MutableConfiguration<Integer, byte[]>()
          .setTypes(Integer.class, byte[].class).setStatisticsEnabled(true);
      WeakAllocCache<Integer, byte[]> cold = TestCaches.unwrap(manager.createCache("cold", config));
      WeakAllocCache<Integer, byte[]> hot = TestCaches.unwrap(manager.createCache("hot", config));
      assertThat(cold.hasOwnRegion()).isFalse();
      assertThat(cold.regionStats().capacityBytes()).isEqualTo(1 << 20);

      for (int i = 0; i < 20; i++) {
        cold.put(i, bytes(16 << 10, i));
      }
      for (int i = 0; i < 200; i++) {
        hot.put(i, bytes(16 << 10, i));
        hot.get(i);
      }
      cold.drainEvictions();
      assertThat(cold.statistics().getCacheEvictions()).isEqualTo(20);
      assertThat(cold.estimatedSize()).isZero();
      assertThat(hot.estimatedSize()).isPositive();
    }
  }

  @Test
  void regionStats_afterClose_reportNothingCommitted_andTheFinalCounts() throws Exception {
    Path file = dir.resolve("closing.properties");
    Files.writeString(file, "weakalloc.region.capacity=1MiB\n");
    WeakAllocCacheManager manager = TestCaches.newManager(file.toUri());
    var own = new WeakAllocConfiguration<Integer, byte[]>().setOwnRegion(1 << 20);
    own.setTypes(Integer.class, byte[].class);
    WeakAllocCache<Integer, byte[]> alone = TestCaches.unwrap(manager.createCache("alone", own));
    Cache<Integer, byte[]> shared = manager.createCache("shared", new MutableConfiguration<>());
    for (int i = 0; i < 200; i++) {
      shared.put(i, bytes(16 << 10, i)); // 3.2 MiB into 1 MiB
      alone.put(i, bytes(16 << 10, i));
    }
    long evictions = manager.regionStats().evictions();
    long ownEvictions = alone.regionStats().evictions();
    assertThat(manager.regionStats().committedBytes()).isPositive();

    manager.close();

    for (var stats : java.util.List.of(manager.regionStats(), alone.regionStats())) {
      assertThat(stats.capacityBytes()).isEqualTo(1 << 20);
      assertThat(stats.committedBytes()).as("committed").isZero();
      assertThat(stats.usedBytes()).isZero();
      assertThat(stats.pinnedBytes()).isZero();
      assertThat(stats.liveValues()).isZero();
      assertThat(stats.allocatedBlocks()).isZero();
    }
    assertThat(manager.regionStats().evictions()).isEqualTo(evictions).isPositive();
    assertThat(alone.regionStats().evictions()).isEqualTo(ownEvictions).isPositive();
    assertThat(manager.regionTotals().putCount()).isEqualTo(200);
  }

  @Test
  void regionStats_afterClose_ofARegionNeverUsed_isEmpty() {
    WeakAllocCacheManager manager = TestCaches.newManager();
    manager.close();

    assertThat(manager.regionStats().committedBytes()).isZero();
    assertThat(manager.regionStats().evictions()).isZero();
    assertThat(manager.regionTotals().putCount()).isZero();
  }

  @Test
  void ownRegion_isNotTouchedByTheSharedRegionsEvictions() {
    try (WeakAllocCacheManager manager = TestCaches.newManager()) {
      var own = new WeakAllocConfiguration<Integer, byte[]>().setOwnRegion(1 << 20);
      own.setTypes(Integer.class, byte[].class);
      WeakAllocCache<Integer, byte[]> alone = TestCaches.unwrap(manager.createCache("alone", own));
      Cache<Integer, byte[]> other = manager.createCache("other", new MutableConfiguration<Integer, byte[]>());
      assertThat(alone.hasOwnRegion()).isTrue();
      assertThat(alone.regionStats().capacityBytes()).isEqualTo(1 << 20);
      alone.put(1, bytes(1000, 1));
      for (int i = 0; i < 50; i++) {
        other.put(i, bytes(16 << 10, i));
      }
      assertThat(alone.get(1)).isEqualTo(bytes(1000, 1));
    }
  }

  @Test
  void regionTotals_addUpTheCachesCounts_andKeepAClosedCachesCounts() {
    try (WeakAllocCacheManager manager = TestCaches.newManager()) {
      Cache<Integer, byte[]> first = manager.createCache("first", new MutableConfiguration<>());
      Cache<Integer, byte[]> second = manager.createCache("second", new MutableConfiguration<>());
      first.put(1, bytes(100, 1));
      first.get(1);
      first.get(2);
      second.put(1, bytes(100, 1));
      second.put(2, bytes(100, 2));
      second.get(1);
      second.get(1);
      second.remove(2);

      assertThat(manager.regionTotals().hitCount()).isEqualTo(3);
      assertThat(manager.regionTotals().missCount()).isEqualTo(1);
      assertThat(manager.regionTotals().putCount()).isEqualTo(3);
      assertThat(manager.regionTotals().removalCount()).isEqualTo(1);

      second.close();
      first.get(1);

      assertThat(manager.regionTotals().hitCount()).isEqualTo(4);
      assertThat(manager.regionTotals().putCount()).isEqualTo(3);
      assertThat(manager.regionTotals().removalCount()).isEqualTo(1);
    }
  }

  @Test
  void closingACache_freesItsValuesFromTheSharedRegion() {
    try (WeakAllocCacheManager manager = TestCaches.newManager()) {
      WeakAllocCache<Integer, byte[]> cache =
          TestCaches.unwrap(manager.createCache("closing", new MutableConfiguration<Integer, byte[]>()));
      for (int i = 0; i < 10; i++) {
        cache.put(i, bytes(1000, i));
      }
      var region = cache.regionStats();
      assertThat(region.liveValues()).isEqualTo(10);
      cache.close();
      assertThat(manager.sharedRegion().stats().liveValues()).isZero();
      assertThat(manager.getCache("closing")).isNull();
    }
  }

  @Test
  void defaultCapacity_isAQuarterOfTheMemoryTheJdkReports() {
    long total = ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    try (WeakAllocCacheManager manager = TestCaches.newManager()) {
      long capacity = manager.sharedRegion().stats().capacityBytes();
      // the region rounds its capacity down to whole chunks and a last chunk of at least 64 KiB
      assertThat(capacity).isBetween(total / 4 - (64 << 10), total / 4);
    }
  }
}
