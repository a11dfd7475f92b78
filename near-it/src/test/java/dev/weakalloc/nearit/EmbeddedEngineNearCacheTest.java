package dev.weakalloc.nearit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import dev.weakalloc.jcache.management.NearCacheStatistics.Cause;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same near cache in front of two more engines, local to this JVM: Caffeine's JCache provider
 * and Infinispan's embedded JCache ({@code org.infinispan:infinispan-jcache}, a local cache, no
 * network). Reads, writes and invalidation by each engine's own events go through the same near
 * code as Hazelcast's: nothing in the near tier is specific to one engine.
 */
class EmbeddedEngineNearCacheTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider",
      "org.infinispan.jcache.embedded.JCachingProvider"})
  void readsWritesAndInvalidationByEvents(String engine) throws Exception {
    // The engine's default URI: Infinispan reads any other as the location of its configuration.
    URI engineUri = Caching.getCachingProvider(engine).getDefaultURI();
    CacheManager engineManager = Caching.getCachingProvider(engine)
        .getCacheManager(engineUri, getClass().getClassLoader());
    try (CacheManager nearManager = new WeakAllocCachingProvider().getCacheManager(
        URI.create("near-over-" + engine.hashCode()), getClass().getClassLoader(), new Properties())) {
      var config = new WeakAllocConfiguration<String, String>().setBackingCache(engine, engineUri, "quotes");
      config.setTypes(String.class, String.class);
      Cache<String, String> backing = engineManager.createCache("quotes", new MutableConfiguration<>(config));
      backing.put("a", "1");
      @SuppressWarnings("unchecked")
      WeakAllocCache<String, String> near =
          nearManager.createCache("quotes", config).unwrap(WeakAllocCache.class);

      assertThat(near.get("a")).isEqualTo("1");
      assertThat(near.get("a")).isEqualTo("1");
      assertThat(near.nearStatistics().hitCount()).as("the second read is a near hit").isEqualTo(1);

      near.putAll(Map.of("b", "2", "c", "3"));
      // a HashSet: Infinispan's getAll asks the set whether it contains null, which Set.of refuses
      assertThat(backing.getAll(new HashSet<>(Set.of("b", "c")))).containsOnlyKeys("b", "c");
      assertThat(near.get("b")).isEqualTo("2");

      backing.put("a", "10"); // past the near cache: only the engine's event tells it
      awaitNear(() -> "10".equals(near.get("a")), "the update reaches the near cache");
      assertThat(near.nearStatistics().invalidationCount(Cause.UPDATED)).isPositive();
      backing.remove("c");
      awaitNear(() -> near.get("c") == null, "the removal reaches the near cache");

      assertThat(near.remove("b")).isTrue();
      assertThat(backing.containsKey("b")).isFalse();
    } finally {
      engineManager.close();
    }
  }

  private static void awaitNear(Supplier<Boolean> condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.get()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
