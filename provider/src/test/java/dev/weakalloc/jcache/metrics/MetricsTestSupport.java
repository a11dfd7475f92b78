package dev.weakalloc.jcache.metrics;

import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.WeakAllocCacheManager;
import dev.weakalloc.jcache.internal.FakeTicker;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.configuration.MutableConfiguration;

/** Fresh managers with a small shared region, and meter lookups. */
final class MetricsTestSupport {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private MetricsTestSupport() {}

  /** {@return a new manager whose shared region holds {@code capacity}} */
  static WeakAllocCacheManager newManager(String capacity) {
    return newManager(capacity, new Properties());
  }

  /** {@return a new manager whose shared region holds {@code capacity}, on a fake clock} */
  static WeakAllocCacheManager newManager(String capacity, FakeTicker ticker) {
    return newManager(capacity, ticker.into(new Properties()));
  }

  private static WeakAllocCacheManager newManager(String capacity, Properties properties) {
    properties.setProperty("weakalloc.region.capacity", capacity);
    return (WeakAllocCacheManager) new WeakAllocCachingProvider().getCacheManager(
        URI.create("metrics-test-" + SEQUENCE.incrementAndGet()),
        MetricsTestSupport.class.getClassLoader(), properties);
  }

  static WeakAllocCache<Integer, byte[]> bytesCache(
      WeakAllocCacheManager manager, String name, boolean statistics) {
    var config = new MutableConfiguration<Integer, byte[]>()
        .setTypes(Integer.class, byte[].class)
        .setStatisticsEnabled(statistics);
    @SuppressWarnings("unchecked")
    WeakAllocCache<Integer, byte[]> cache =
        manager.createCache(name, config).unwrap(WeakAllocCache.class);
    return cache;
  }

  static double count(MeterRegistry registry, String name, String... tags) {
    return RequiredSearch.in(registry).name(name).tags(tags).functionCounter().count();
  }

  static double gauge(MeterRegistry registry, String name, String... tags) {
    return RequiredSearch.in(registry).name(name).tags(tags).gauge().value();
  }

  static byte[] bytes(int size) {
    return new byte[size];
  }
}
