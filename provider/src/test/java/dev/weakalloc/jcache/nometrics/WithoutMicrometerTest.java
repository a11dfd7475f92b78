package dev.weakalloc.jcache.nometrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.WeakAllocCacheManager;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.net.URI;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * The provider works without Micrometer. Run by the {@code without-micrometer} surefire execution
 * of provider/pom.xml, whose class path excludes Micrometer; the default execution skips it.
 */
class WithoutMicrometerTest {
  @Test
  void provider_createsCachesAndCounts_withoutMicrometerOnThePath() {
    assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
        .isInstanceOf(ClassNotFoundException.class);

    Properties properties = new Properties();
    properties.setProperty("weakalloc.region.capacity", "4MiB");
    WeakAllocCachingProvider provider = new WeakAllocCachingProvider();
    try (var manager = (WeakAllocCacheManager) provider.getCacheManager(
        URI.create("without-micrometer"), getClass().getClassLoader(), properties)) {
      Cache<String, String> cache = manager.createCache("plain",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class)
              .setStatisticsEnabled(true).setManagementEnabled(true));
      cache.put("k", "v");
      assertThat(cache.get("k")).isEqualTo("v");
      assertThat(cache.get("absent")).isNull();

      @SuppressWarnings("unchecked")
      WeakAllocCache<String, String> ours = cache.unwrap(WeakAllocCache.class);
      assertThat(ours.statistics().getCacheHits()).isEqualTo(1);
      assertThat(ours.statistics().missCount()).isEqualTo(1);
      assertThat(manager.regionStats().capacityBytes()).isEqualTo(4 << 20);
      assertThat(manager.regionStats().liveValues()).isEqualTo(1);
    }
  }
}
