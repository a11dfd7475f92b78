package dev.weakalloc.jcache;

import static dev.weakalloc.jcache.TestCaches.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import dev.weakalloc.jcache.internal.FakeTicker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CompletionListenerFuture;
import org.junit.jupiter.api.Test;

/**
 * Expired values leave the region even when no operation meets their keys again, and an expiry
 * met inside an operation is announced even when the operation fails.
 */
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

  /** Records the keys of expired events; one instance per registration. */
  public static final class ExpiredKeys implements CacheEntryExpiredListener<Integer, byte[]> {
    static final List<Integer> KEYS = new CopyOnWriteArrayList<>();

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends Integer, ? extends byte[]>> events) {
      events.forEach(event -> KEYS.add(event.getKey()));
    }
  }

  /** Loads every key as a value larger than any region of these tests. */
  public static final class TooLargeLoader implements CacheLoader<Integer, byte[]> {
    @Override
    public byte[] load(Integer key) {
      return new byte[2 << 20];
    }

    @Override
    public Map<Integer, byte[]> loadAll(Iterable<? extends Integer> keys) {
      Map<Integer, byte[]> loaded = new HashMap<>();
      keys.forEach(key -> loaded.put(key, load(key)));
      return loaded;
    }
  }

  @Test
  void loadThatCannotBeStored_stillAnnouncesTheExpiryItMet() throws Exception {
    ExpiredKeys.KEYS.clear();
    FakeTicker clock = new FakeTicker();
    try (WeakAllocCacheManager manager = TestCaches.newManager(clock)) {
      var config = new WeakAllocConfiguration<Integer, byte[]>().setOwnRegion(1 << 20);
      config.setTypes(Integer.class, byte[].class)
          .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 50)))
          .setCacheLoaderFactory(FactoryBuilder.factoryOf(TooLargeLoader.class))
          .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
              FactoryBuilder.factoryOf(ExpiredKeys.class), null, false, true));
      WeakAllocCache<Integer, byte[]> cache = TestCaches.unwrap(manager.createCache("loading", config));
      cache.put(1, bytes(100, 1));
      clock.advance(java.time.Duration.ofMillis(100));

      CompletionListenerFuture done = new CompletionListenerFuture();
      cache.loadAll(Set.of(1), true, done); // meets the expired entry inside its store, which fails

      assertThatThrownBy(done::get).isInstanceOf(ExecutionException.class)
          .hasMessageContaining("too large");
      assertThat(ExpiredKeys.KEYS).containsExactly(1);
      assertThat(cache.containsKey(1)).isFalse();
    }
  }
}
