package dev.weakalloc.jcache.metrics;

import static dev.weakalloc.jcache.metrics.MetricsTestSupport.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.WeakAllocCacheManager;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The near tier's meters, bound beside the cache's own when the cache is a near cache. */
class NearCacheMetricsTest {
  private static final String PROVIDER = WeakAllocCachingProvider.class.getName();
  private final URI backingUri = URI.create("near-metrics-backing");
  private final CacheManager backingManager =
      Caching.getCachingProvider(PROVIDER, getClass().getClassLoader()).getCacheManager(backingUri, getClass().getClassLoader());
  private final WeakAllocCacheManager manager = MetricsTestSupport.newManager("2MiB");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    manager.close();
    backingManager.close();
    registry.close();
  }

  @Test
  void nearCache_getsNearGetsInvalidationsAndBackingTimer() {
    Cache<String, String> backing = backingManager.createCache("quotes",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    backing.put("a", "1");
    var config = new WeakAllocConfiguration<String, String>().setBackingCache(PROVIDER, backingUri, "quotes");
    config.setTypes(String.class, String.class);
    @SuppressWarnings("unchecked")
    WeakAllocCache<String, String> near = manager.createCache("quotes", config).unwrap(WeakAllocCache.class);
    WeakAllocCacheMetrics.monitor(registry, near);

    near.get("a"); // miss, filled
    near.get("a"); // hit
    near.remove("a"); // a write that drops the copy

    assertThat(count(registry, "weakalloc.near.gets", "result", "hit")).isEqualTo(1);
    assertThat(count(registry, "weakalloc.near.gets", "result", "miss")).isEqualTo(1);
    assertThat(count(registry, "weakalloc.near.invalidations", "cause", "write")).isEqualTo(1);
    assertThat(count(registry, "weakalloc.near.invalidations", "cause", "listener_lost")).isZero();
    FunctionTimer reads = RequiredSearch.in(registry).name("weakalloc.near.backing").tag("call", "read").functionTimer();
    FunctionTimer writes = RequiredSearch.in(registry).name("weakalloc.near.backing").tag("call", "write").functionTimer();
    assertThat(reads.count()).isEqualTo(1);
    assertThat(reads.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(writes.count()).isEqualTo(1);
    assertThat(reads.getId().getTag("cache")).isEqualTo("quotes");
    assertThat(reads.getId().getTag("cacheManager")).isEqualTo(manager.getURI().toString());
    assertThat(count(registry, "cache.gets", "result", "hit")).as("what the caller saw").isEqualTo(2);
  }

  @Test
  void cacheThatIsNotNear_hasNoNearMeters() {
    WeakAllocCache<Integer, byte[]> cache = MetricsTestSupport.bytesCache(manager, "plain", false);
    WeakAllocCacheMetrics.monitor(registry, cache);
    assertThat(registry.find("weakalloc.near.gets").meters()).isEmpty();
  }
}
