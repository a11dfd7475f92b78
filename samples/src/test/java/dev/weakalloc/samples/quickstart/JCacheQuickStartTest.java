package dev.weakalloc.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

class JCacheQuickStartTest {
  @Test
  void run_putThenGet_returnsACopyOfTheBytes() {
    byte[] bytes = {1, 2, 3, 4};
    byte[] copy = JCacheQuickStart.run(bytes);
    assertThat(copy).containsExactly(1, 2, 3, 4).isNotSameAs(bytes);
  }

  @Test
  void monitor_bindsTheCacheAndItsRegion() {
    var provider = Caching.getCachingProvider();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (CacheManager manager = provider.getCacheManager(URI.create("quick-start-metrics"),
        JCacheQuickStartTest.class.getClassLoader(), new Properties())) {
      Cache<String, byte[]> tiles = manager.createCache("tiles",
          new MutableConfiguration<String, byte[]>().setTypes(String.class, byte[].class));

      JCacheQuickStart.monitor(registry, tiles);
      tiles.put("r.0.0", new byte[100]);
      tiles.get("r.0.0");

      assertThat(registry.get("cache.gets").tag("cache", "tiles").tag("result", "hit")
          .functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("weakalloc.region.values").gauge().value()).isEqualTo(1);
    } finally {
      registry.close();
    }
  }
}
