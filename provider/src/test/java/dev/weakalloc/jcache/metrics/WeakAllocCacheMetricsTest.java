package dev.weakalloc.jcache.metrics;

import static dev.weakalloc.jcache.metrics.MetricsTestSupport.bytes;
import static dev.weakalloc.jcache.metrics.MetricsTestSupport.count;
import static dev.weakalloc.jcache.metrics.MetricsTestSupport.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.WeakAllocCacheManager;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.JCacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.management.CacheStatisticsMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache binder: meter names and tags, and values after real operations. */
class WeakAllocCacheMetricsTest {
  private final WeakAllocCacheManager manager = MetricsTestSupport.newManager("2MiB");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    manager.close();
    registry.close();
  }

  /** Three puts, two hits, one miss, one removal; a getAll of two keys (a hit and a miss). */
  private static void operate(Cache<Integer, byte[]> cache) {
    cache.put(1, bytes(100));
    cache.put(2, bytes(100));
    cache.put(3, bytes(100));
    cache.get(1);
    cache.get(2);
    cache.get(4);
    cache.remove(3);
    cache.getAll(Set.of(1, 5));
  }

  @Test
  void bindTo_registersCacheConventionMeters_taggedWithCacheAndManager() {
    WeakAllocCache<Integer, byte[]> cache = MetricsTestSupport.bytesCache(manager, "tiles", false);
    WeakAllocCacheMetrics.monitor(registry, cache, "app", "demo");

    String uri = manager.getURI().toString();
    assertThat(registry.getMeters())
        .extracting(m -> m.getId().getName())
        .containsExactlyInAnyOrder(
            "cache.size", "cache.gets", "cache.gets", "cache.puts", "cache.evictions",
            "cache.removals");
    for (Meter meter : registry.getMeters()) {
      assertThat(meter.getId().getTags())
          .containsAll(Tags.of("cache", "tiles", "cacheManager", uri, "app", "demo"));
    }
  }

  @Test
  void meters_countEveryOperation_withJCacheStatisticsDisabled() {
    WeakAllocCache<Integer, byte[]> cache = MetricsTestSupport.bytesCache(manager, "off", false);
    WeakAllocCacheMetrics.monitor(registry, cache);

    operate(cache);

    assertThat(count(registry, "cache.gets", "result", "hit")).isEqualTo(3);
    assertThat(count(registry, "cache.gets", "result", "miss")).isEqualTo(2);
    assertThat(count(registry, "cache.puts")).isEqualTo(3);
    assertThat(count(registry, "cache.removals")).isEqualTo(1);
    assertThat(count(registry, "cache.evictions")).isZero();
    assertThat(gauge(registry, "cache.size")).isEqualTo(2);
    assertThat(cache.statistics().getCacheGets()).as("the JCache view stays off").isZero();
  }

  @Test
  void evictions_countWhatTheRegionEvictedForRoom() {
    WeakAllocCache<Integer, byte[]> cache = MetricsTestSupport.bytesCache(manager, "full", false);
    WeakAllocCacheMetrics.monitor(registry, cache);

    for (int i = 0; i < 100; i++) {
      cache.put(i, bytes(64 << 10)); // 6.4 MiB into 2 MiB
    }

    double evictions = count(registry, "cache.evictions");
    assertThat(evictions).isPositive().isEqualTo((double) cache.regionStats().evictions());
    assertThat(gauge(registry, "cache.size")).isEqualTo(100 - evictions);
  }

  @Test
  void counters_surviveJCacheClear_andAreMonotonic() {
    WeakAllocCache<Integer, byte[]> cache = MetricsTestSupport.bytesCache(manager, "on", true);
    WeakAllocCacheMetrics.monitor(registry, cache);
    operate(cache);

    cache.statistics().clear();
    cache.get(1);

    assertThat(cache.statistics().getCacheHits()).isEqualTo(1);
    assertThat(count(registry, "cache.gets", "result", "hit")).isEqualTo(4);
  }

  @Test
  void jcacheView_countsOnlyWhileEnabled() {
    WeakAllocCache<Integer, byte[]> cache = MetricsTestSupport.bytesCache(manager, "toggled", true);
    cache.put(1, bytes(10));
    manager.enableStatistics("toggled", false);
    cache.put(2, bytes(10));
    cache.get(1);
    manager.enableStatistics("toggled", true);
    cache.get(1);

    assertThat(cache.statistics().getCachePuts()).isEqualTo(1);
    assertThat(cache.statistics().getCacheHits()).isEqualTo(1);
    assertThat(cache.statistics().putCount()).isEqualTo(2);
    assertThat(cache.statistics().hitCount()).isEqualTo(2);
  }

  @Test
  void micrometersJCacheMetrics_findsOurMBean_andReportsTheSameGetsAndPuts() throws Exception {
    WeakAllocCache<Integer, byte[]> cache = MetricsTestSupport.bytesCache(manager, "both", true);
    JCacheMetrics.monitor(registry, cache, Tags.of("binder", "micrometer"));
    WeakAllocCacheMetrics.monitor(registry, cache, "binder", "weakalloc");

    operate(cache);

    CacheStatisticsMXBean mbean = javax.management.JMX.newMXBeanProxy(
        java.lang.management.ManagementFactory.getPlatformMBeanServer(),
        dev.weakalloc.jcache.management.JmxRegistration.objectName(
            dev.weakalloc.jcache.management.JmxRegistration.MBeanType.CacheStatistics,
            manager.getURI().toString(), "both"),
        CacheStatisticsMXBean.class);
    assertThat(mbean.getCacheHits()).isEqualTo(3);
    for (var name : Map.of("cache.gets", new String[] {"result", "hit"},
        "cache.puts", new String[0], "cache.evictions", new String[0]).entrySet()) {
      double theirs = RequiredCount.of(registry, name.getKey(), "micrometer", name.getValue());
      double ours = RequiredCount.of(registry, name.getKey(), "weakalloc", name.getValue());
      assertThat(ours).as(name.getKey()).isEqualTo(theirs);
    }
    assertThat(RequiredCount.of(registry, "cache.gets", "micrometer", "result", "hit")).isEqualTo(3);
    assertThat(RequiredCount.of(registry, "cache.gets", "micrometer", "result", "miss")).isEqualTo(2);
    assertThat(RequiredCount.of(registry, "cache.puts", "micrometer")).isEqualTo(3);
    assertThat(RequiredCount.of(registry, "cache.removals", "micrometer")).isEqualTo(1);
    assertThat(RequiredCount.of(registry, "cache.removals", "weakalloc")).isEqualTo(1);
  }

  @Test
  void monitor_rejectsAForeignCache() {
    @SuppressWarnings("unchecked")
    Cache<Integer, byte[]> foreign = (Cache<Integer, byte[]>) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {Cache.class}, (proxy, method, args) -> {
          if (method.getName().equals("unwrap")) {
            throw new IllegalArgumentException("not ours");
          }
          return null;
        });
    assertThatThrownBy(() -> WeakAllocCacheMetrics.monitor(registry, foreign))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Counts a function counter of one binder ({@code binder} tag). */
  private static final class RequiredCount {
    static double of(SimpleMeterRegistry registry, String name, String binder, String... tags) {
      var search = registry.find(name).tag("binder", binder).tags(tags);
      var counter = search.functionCounter();
      if (counter != null) {
        return counter.count();
      }
      var gauge = search.gauge(); // older Micrometer registers cache.removals as a gauge
      assertThat(gauge).as("%s{binder=%s}", name, binder).isNotNull();
      return gauge.value();
    }
  }
}
