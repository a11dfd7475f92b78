package dev.weakalloc.jcache.management;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Properties;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** MBeans are registered under exactly the names Micrometer's JCacheMetrics builds. */
class MBeanNamesTest {
  @Test
  void names_replaceCommaColonEqualsAndNewlineWithDots_likeMicrometer() throws Exception {
    URI uri = URI.create("urn:weak:alloc=test," + System.nanoTime());
    String name = "a,b=c:d\ne";
    CacheManager manager =
        new WeakAllocCachingProvider()
            .getCacheManager(uri, getClass().getClassLoader(), new Properties());
    try {
      manager.createCache(
          name,
          new MutableConfiguration<String, String>()
              .setStatisticsEnabled(true)
              .setManagementEnabled(true));
      // Micrometer's JCacheMetrics, verbatim:
      String micrometer = "javax.cache:type=CacheStatistics,CacheManager="
          + manager.getURI().toString().replaceAll(",|:|=|\n", ".")
          + ",Cache=" + name.replaceAll(",|:|=|\n", ".");
      var server = ManagementFactory.getPlatformMBeanServer();
      ObjectName statistics = new ObjectName(micrometer);
      assertThat(server.isRegistered(statistics)).isTrue();
      assertThat(server.getAttribute(statistics, "CacheGets")).isEqualTo(0L);
      assertThat(server.isRegistered(new ObjectName(
              micrometer.replace("type=CacheStatistics", "type=CacheConfiguration"))))
          .isTrue();
      manager.destroyCache(name);
      assertThat(server.isRegistered(statistics)).isFalse();
    } finally {
      manager.close();
    }
  }

  @Test
  void sanitize_alsoReplacesPatternCharacters() {
    assertThat(JmxRegistration.sanitize("a*b?c\"d")).isEqualTo("a.b.c.d");
    assertThat(JmxRegistration.sanitize(null)).isEmpty();
  }
}
