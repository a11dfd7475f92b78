package dev.weakalloc.jcache;

import static dev.weakalloc.jcache.TestCaches.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.Admission;
import dev.weakalloc.WeakAllocStats;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cache whose own region has {@link Admission#TINY_LFU}: a put that would evict values whose keys
 * were seen more often is counted as a put and an eviction and leaves no entry (as Caffeine's
 * JCache does); the values already there stay.
 */
class AdmissionThroughJCacheTest {
  private static final int VALUE = 1000;
  private final WeakAllocCacheManager manager = TestCaches.newManager();

  @AfterEach
  void close() {
    manager.close();
  }

  private WeakAllocCache<Integer, byte[]> cache(Admission admission) {
    var config = new WeakAllocConfiguration<Integer, byte[]>()
        .setOwnRegion(1 << 20)
        .setAdmission(admission)
        .setTypes(Integer.class, byte[].class);
    config.setStatisticsEnabled(true);
    return TestCaches.unwrap(manager.createCache("admitted-" + admission, config));
  }

  /** Puts keys 0, 1, ... each read twice, until the region first had to make room. */
  private static List<Integer> fillUntilFull(WeakAllocCache<Integer, byte[]> cache) {
    List<Integer> keys = new ArrayList<>();
    for (int key = 0; cache.regionStats().evictions() + cache.regionStats().admissionsRefused() == 0;
        key++) {
      cache.put(key, bytes(VALUE, key));
      keys.add(key);
      for (int k = Math.max(0, key - 8); k < key; k++) {
        cache.get(k);
      }
    }
    return keys;
  }

  @Test
  void put_coldKeyIntoFullRegion_countsPutAndEvictionAndLeavesNoEntry() {
    WeakAllocCache<Integer, byte[]> cache = cache(Admission.TINY_LFU);
    List<Integer> keys = fillUntilFull(cache);
    int refused = keys.getLast();

    assertThat(cache.regionStats().admissionsRefused()).isEqualTo(1);
    assertThat(cache.regionStats().evictions()).isZero();
    assertThat(cache.containsKey(refused)).isFalse();
    assertThat(cache.get(refused)).isNull();
    assertThat(cache.statistics().putCount()).isEqualTo(keys.size());
    assertThat(cache.statistics().evictionCount()).isEqualTo(1);
    assertThat(cache.estimatedSize()).isEqualTo(keys.size() - 1);
    for (int key : keys.subList(0, keys.size() - 1)) {
      assertThat(cache.get(key)).as("key %d", key).isEqualTo(bytes(VALUE, key));
    }
  }

  @Test
  void put_keySeenAgain_isAdmittedAndEvictsInLruOrder() {
    WeakAllocCache<Integer, byte[]> cache = cache(Admission.TINY_LFU);
    List<Integer> keys = fillUntilFull(cache);
    int newcomer = keys.getLast();
    for (int i = 0; i < 16 && !cache.containsKey(newcomer); i++) {
      cache.put(newcomer, bytes(VALUE, -1)); // refused while no hotter than the oldest value
    }

    assertThat(cache.get(newcomer)).isEqualTo(bytes(VALUE, -1));
    WeakAllocStats stats = cache.regionStats();
    assertThat(stats.evictions()).isPositive();
    assertThat(cache.containsKey(keys.getFirst())).isFalse(); // the least recently used went
    assertThat(cache.statistics().evictionCount())
        .isEqualTo(stats.evictions() + stats.admissionsRefused());
  }

  @Test
  void put_withoutAdmission_alwaysStores() {
    WeakAllocCache<Integer, byte[]> cache = cache(Admission.NONE);
    List<Integer> keys = fillUntilFull(cache);

    assertThat(cache.containsKey(keys.getLast())).isTrue();
    assertThat(cache.regionStats().admissionsRefused()).isZero();
    assertThat(cache.regionStats().overheadBytes()).isZero();
  }

  @Test
  void createCache_admissionOnSharedRegion_fails() {
    var config = new WeakAllocConfiguration<Integer, byte[]>().setAdmission(Admission.TINY_LFU);

    assertThatThrownBy(() -> manager.createCache("shared-admission", config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weakalloc.region.admission");
  }

  @Test
  void configuration_copiesAndComparesAdmission() {
    var config = new WeakAllocConfiguration<Integer, byte[]>()
        .setOwnRegion(1 << 20)
        .setAdmission(Admission.TINY_LFU);
    Cache<Integer, byte[]> cache = manager.createCache("copied", config);

    @SuppressWarnings("unchecked")
    WeakAllocConfiguration<Integer, byte[]> seen = cache.getConfiguration(WeakAllocConfiguration.class);
    assertThat(seen.getAdmission()).isEqualTo(Admission.TINY_LFU);
    assertThat(new WeakAllocConfiguration<>(config)).isEqualTo(config);
    assertThat(new WeakAllocConfiguration<>(config).setAdmission(Admission.NONE)).isNotEqualTo(config);
  }
}
