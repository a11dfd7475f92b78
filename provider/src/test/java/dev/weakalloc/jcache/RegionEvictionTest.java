package dev.weakalloc.jcache;

import static dev.weakalloc.jcache.TestCaches.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A region eviction removes the key from its cache, counts an eviction and tells listeners. */
class RegionEvictionTest {
  private final WeakAllocCacheManager manager = TestCaches.newManager();

  @AfterEach
  void close() {
    manager.close();
  }

  private WeakAllocCache<Integer, byte[]> smallCache(String name) {
    var config = new WeakAllocConfiguration<Integer, byte[]>().setOwnRegion(1 << 20);
    config.setTypes(Integer.class, byte[].class).setStatisticsEnabled(true);
    Cache<Integer, byte[]> cache = manager.createCache(name, config);
    return TestCaches.unwrap(cache);
  }

  @Test
  void put_regionFull_evictsLeastRecentlyUsedAndRemovesTheirKeys() {
    WeakAllocCache<Integer, byte[]> cache = smallCache("evicting");
    Set<Integer> evicted = ConcurrentHashMap.newKeySet();
    cache.addEvictionListener(evicted::add);
    int count = 200; // 200 x 16 KiB = 3.2 MiB into a 1 MiB region
    for (int i = 0; i < count; i++) {
      cache.put(i, bytes(16 << 10, i));
    }
    cache.drainEvictions();

    assertThat(evicted).isNotEmpty().doesNotContain(count - 1);
    assertThat(cache.statistics().getCacheEvictions()).isEqualTo(evicted.size());
    assertThat(cache.estimatedSize()).isEqualTo(count - evicted.size());
    for (int i = 0; i < count; i++) {
      if (evicted.contains(i)) {
        assertThat(cache.containsKey(i)).as("evicted key %d", i).isFalse();
      } else {
        assertThat(cache.get(i)).as("kept key %d", i).isEqualTo(bytes(16 << 10, i));
      }
    }
    assertThat(cache.regionStats().evictions()).isEqualTo(evicted.size());
  }

  @Test
  void get_afterEviction_isAMissAndTheEvictionIsCountedOnce() {
    WeakAllocCache<Integer, byte[]> cache = smallCache("lazy");
    cache.put(0, bytes(100, 0));
    for (int i = 1; i < 100; i++) {
      cache.put(i, bytes(16 << 10, i)); // key 0 is never read again, so it goes first
    }
    assertThat(cache.get(0)).isNull();
    cache.drainEvictions();
    long evictions = cache.statistics().getCacheEvictions();
    assertThat(evictions).isPositive();
    assertThat(cache.statistics().getCacheEvictions()).isEqualTo(evictions);
    assertThat(cache.statistics().getCacheMisses()).isEqualTo(1);
  }

  @Test
  void iterator_skipsEvictedValues() {
    WeakAllocCache<Integer, byte[]> cache = smallCache("iterated");
    for (int i = 0; i < 200; i++) {
      cache.put(i, bytes(16 << 10, i));
    }
    int seen = 0;
    for (Cache.Entry<Integer, byte[]> entry : cache) {
      assertThat(entry.getValue()).isEqualTo(bytes(16 << 10, entry.getKey()));
      seen++;
    }
    cache.drainEvictions();
    assertThat((long) seen).isEqualTo(cache.estimatedSize());
  }
}
