package dev.weakalloc.jcache;

import static dev.weakalloc.jcache.TestCaches.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.jcache.internal.FakeTicker;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;

/** Expired values leave the region even when no operation meets their keys again. */
class ExpiryTest {
  @Test
  void expiredValues_areSweptOutOfTheRegionByLaterWrites() {
    FakeTicker clock = new FakeTicker();
    try (WeakAllocCacheManager manager = TestCaches.newManager(clock)) {
      var config = new MutableConfiguration<Integer, byte[]>()
          .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 50)));
      WeakAllocCache<Integer, byte[]> cache = TestCaches.unwrap(manager.createCache("expiring", config));
      for (int i = 0; i < 100; i++) {
        cache.put(i, bytes(100, i));
      }
      clock.advance(java.time.Duration.ofMillis(120));
      for (int i = 0; i < 2_000; i++) {
        cache.put(-1, bytes(100, i)); // writes to one other key only
      }
      assertThat(cache.regionStats().liveValues()).isLessThanOrEqualTo(1);
      assertThat(cache.estimatedSize()).isLessThanOrEqualTo(1);
      assertThat(cache.get(5)).isNull();
    }
  }
}
