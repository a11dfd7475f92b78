package dev.weakalloc.nearit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import dev.weakalloc.jcache.management.NearCacheStatistics.Cause;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The same near cache in front of a second engine, Caffeine's JCache provider (local to this JVM,
 * so it stands for the API, not for a distributed engine): nothing in the near tier is specific
 * to Hazelcast.
 */
class CaffeineNearCacheTest {
  private static final String CAFFEINE = "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";
  private final CacheManager caffeine =
      Caching.getCachingProvider(CAFFEINE).getCacheManager(URI.create("near-it-caffeine"), getClass().getClassLoader());
  private final CacheManager nearManager = new WeakAllocCachingProvider().getCacheManager(
      URI.create("near-over-caffeine"), getClass().getClassLoader(), new Properties());

  @AfterEach
  void close() {
    nearManager.close();
    caffeine.close();
  }

  @Test
  void readsWritesAndInvalidation_overCaffeine() throws Exception {
    Cache<String, String> backing = caffeine.createCache("quotes",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    backing.put("a", "1");
    var config = new WeakAllocConfiguration<String, String>()
        .setBackingCache(CAFFEINE, URI.create("near-it-caffeine"), "quotes");
    config.setTypes(String.class, String.class);
    @SuppressWarnings("unchecked")
    WeakAllocCache<String, String> near = nearManager.createCache("quotes", config).unwrap(WeakAllocCache.class);

    assertThat(near.get("a")).isEqualTo("1");
    assertThat(near.get("a")).isEqualTo("1");
    assertThat(near.nearStatistics().hitCount()).isEqualTo(1);

    near.putAll(Map.of("b", "2", "c", "3"));
    assertThat(backing.getAll(Set.of("b", "c"))).containsOnlyKeys("b", "c");

    backing.put("a", "10");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!"10".equals(near.get("a"))) {
      assertThat(System.nanoTime()).as("the update reaches the near cache").isLessThan(deadline);
      Thread.sleep(5);
    }
    assertThat(near.nearStatistics().invalidationCount(Cause.UPDATED)).isPositive();
    assertThat(near.remove("b")).isTrue();
    assertThat(backing.containsKey("b")).isFalse();
  }
}
