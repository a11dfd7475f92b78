package dev.weakalloc.jcache.metrics;

import static dev.weakalloc.jcache.metrics.MetricsTestSupport.bytes;
import static dev.weakalloc.jcache.metrics.MetricsTestSupport.count;
import static dev.weakalloc.jcache.metrics.MetricsTestSupport.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.jcache.internal.FakeTicker;
import dev.weakalloc.WeakAllocStats;
import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.WeakAllocCacheManager;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The region binder: gauges of the allocator's stats, and evictions by cause. */
class WeakAllocRegionMetricsTest {
  private final FakeTicker clock = new FakeTicker();
  private final WeakAllocCacheManager manager = MetricsTestSupport.newManager("2MiB", clock);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    manager.close();
    registry.close();
  }

  @Test
  void gauges_reportTheSharedRegion() {
    WeakAllocCache<Integer, byte[]> a = MetricsTestSupport.bytesCache(manager, "a", false);
    WeakAllocCache<Integer, byte[]> b = MetricsTestSupport.bytesCache(manager, "b", false);
    WeakAllocRegionMetrics.monitor(registry, manager, "app", "demo");
    a.put(1, bytes(1000));
    b.put(1, bytes(3000));

    WeakAllocStats stats = manager.regionStats();
    String[] tags = {"region", "shared", "cacheManager", manager.getURI().toString(), "app", "demo"};
    assertThat(gauge(registry, "weakalloc.region.capacity", tags)).isEqualTo(2 << 20);
    assertThat(gauge(registry, "weakalloc.region.used", tags))
        .isEqualTo(stats.usedBytes()).isGreaterThanOrEqualTo(4000);
    assertThat(gauge(registry, "weakalloc.region.committed", tags))
        .isEqualTo(stats.committedBytes()).isPositive();
    assertThat(gauge(registry, "weakalloc.region.values", tags)).isEqualTo(2);
    assertThat(gauge(registry, "weakalloc.region.pinned", tags)).isZero();
    assertThat(count(registry, "weakalloc.region.allocations.failed", tags)).isZero();
    assertThat(registry.get("weakalloc.region.used").gauge().getId().getBaseUnit())
        .isEqualTo("bytes");
  }

  @Test
  void evictions_areTaggedByCause() {
    WeakAllocCache<Integer, byte[]> plain = MetricsTestSupport.bytesCache(manager, "plain", false);
    var expiring = new WeakAllocConfiguration<Integer, byte[]>();
    expiring.setTypes(Integer.class, byte[].class);
    expiring.setExpiryPolicyFactory(
        CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 20)));
    @SuppressWarnings("unchecked")
    WeakAllocCache<Integer, byte[]> shortLived =
        manager.createCache("short", expiring).unwrap(WeakAllocCache.class);
    WeakAllocRegionMetrics.monitor(registry, manager);

    shortLived.put(1, bytes(100));
    shortLived.put(2, bytes(100));
    plain.put(1, bytes(100));
    plain.put(2, bytes(100));
    plain.remove(1);
    clock.advance(java.time.Duration.ofMillis(60));
    assertThat(shortLived.get(1)).isNull();                 // met expired
    assertThat(shortLived.getAndPut(2, bytes(1))).isNull(); // met expired inside a computation
    for (int i = 100; i < 200; i++) {
      plain.put(i, bytes(64 << 10));                         // 6.4 MiB into 2 MiB
    }

    assertThat(count(registry, "weakalloc.region.evictions", "cause", "expired")).isEqualTo(2);
    assertThat(count(registry, "weakalloc.region.evictions", "cause", "explicit")).isEqualTo(1);
    assertThat(count(registry, "weakalloc.region.evictions", "cause", "memory"))
        .isPositive().isEqualTo((double) manager.regionStats().evictions());
    assertThat(count(registry, "weakalloc.region.evicted"))
        .isEqualTo((double) manager.regionStats().evictedBytes());
  }

  @Test
  void ownRegion_isTaggedWithTheCacheName_andCountsOnlyThatCache() {
    var config = new WeakAllocConfiguration<Integer, byte[]>().setOwnRegion(1 << 20);
    config.setTypes(Integer.class, byte[].class);
    @SuppressWarnings("unchecked")
    WeakAllocCache<Integer, byte[]> own =
        manager.createCache("own", config).unwrap(WeakAllocCache.class);
    WeakAllocCache<Integer, byte[]> shared = MetricsTestSupport.bytesCache(manager, "shared", false);
    WeakAllocRegionMetrics.monitor(registry, own);
    WeakAllocRegionMetrics.monitor(registry, shared);
    own.put(1, bytes(10));
    own.remove(1);
    shared.put(1, bytes(10));

    assertThat(gauge(registry, "weakalloc.region.capacity", "region", "own")).isEqualTo(1 << 20);
    assertThat(gauge(registry, "weakalloc.region.capacity", "region", "shared"))
        .isEqualTo(2 << 20);
    assertThat(count(registry, "weakalloc.region.evictions", "region", "own", "cause", "explicit"))
        .isEqualTo(1);
    assertThat(count(registry, "weakalloc.region.evictions", "region", "shared", "cause",
        "explicit")).isZero();
  }

  @Test
  void admission_refusalsAndSketchAreReported() {
    var config = new WeakAllocConfiguration<Integer, byte[]>()
        .setOwnRegion(1 << 20)
        .setAdmission(dev.weakalloc.Admission.TINY_LFU);
    config.setTypes(Integer.class, byte[].class);
    @SuppressWarnings("unchecked")
    WeakAllocCache<Integer, byte[]> own =
        manager.createCache("lfu", config).unwrap(WeakAllocCache.class);
    WeakAllocRegionMetrics.monitor(registry, own);
    for (int i = 0; i < 200; i++) {
      own.put(i, bytes(16 << 10)); // 3.2 MiB of keys seen once into 1 MiB: most are refused
    }

    WeakAllocStats stats = own.regionStats();
    assertThat(stats.admissionsRefused()).isPositive();
    assertThat(count(registry, "weakalloc.region.admissions.refused", "region", "lfu"))
        .isEqualTo((double) stats.admissionsRefused());
    assertThat(gauge(registry, "weakalloc.region.overhead", "region", "lfu"))
        .isEqualTo((double) stats.overheadBytes()).isPositive();
  }

  @Test
  void afterClose_metersSayClosed_holdNothing_andKeepTheFinalCounts() {
    WeakAllocCache<Integer, byte[]> cache = MetricsTestSupport.bytesCache(manager, "closing", false);
    WeakAllocCacheMetrics.monitor(registry, cache);
    WeakAllocRegionMetrics.of(manager, Tags.empty()).bindTo(registry);
    cache.put(0, bytes(100));
    assertThat(gauge(registry, "weakalloc.region.values")).isEqualTo(1); // read while open
    assertThat(gauge(registry, "weakalloc.region.closed")).isZero();
    for (int i = 1; i < 100; i++) {
      cache.put(i, bytes(64 << 10)); // 6.4 MiB into 2 MiB
    }
    cache.remove(99);

    manager.close();

    assertThat(gauge(registry, "weakalloc.region.closed")).isEqualTo(1);
    assertThat(gauge(registry, "weakalloc.region.capacity")).isEqualTo(2 << 20);
    for (String level : new String[] {"committed", "used", "pinned", "values", "overhead"}) {
      assertThat(gauge(registry, "weakalloc.region." + level)).as(level).isZero();
    }
    assertThat(gauge(registry, "cache.size")).isZero();
    double evicted = count(registry, "weakalloc.region.evictions", "cause", "memory");
    assertThat(evicted).as("the final count, not one read earlier")
        .isEqualTo((double) manager.regionStats().evictions()).isGreaterThan(50)
        .isEqualTo(count(registry, "cache.evictions"));
    assertThat(count(registry, "weakalloc.region.evictions", "cause", "explicit")).isEqualTo(1);
  }
}
