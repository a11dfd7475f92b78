package dev.weakalloc.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.jcache.WeakAllocCacheManager;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.CompleteConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The weakalloc.* keys given as the properties of getCacheManager. */
class ManagerPropertiesTest {
  @TempDir Path dir;

  private static WeakAllocCacheManager manager(URI uri, String... keyValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return (WeakAllocCacheManager) new WeakAllocCachingProvider()
        .getCacheManager(uri, ManagerPropertiesTest.class.getClassLoader(), properties);
  }

  @SuppressWarnings("unchecked")
  private static boolean statisticsEnabled(Cache<?, ?> cache) {
    return cache.getConfiguration(CompleteConfiguration.class).isStatisticsEnabled();
  }

  @Test
  void regionCapacity_withoutAFile_sizesTheSharedRegion() {
    try (var manager = manager(URI.create("props-capacity"), "weakalloc.region.capacity", "3MiB",
        "unrelated.key", "ignored")) {
      assertThat(manager.regionStats().capacityBytes()).isEqualTo(3 << 20);
      assertThat(manager.getProperties().getProperty("weakalloc.region.capacity"))
          .isEqualTo("3MiB");
    }
  }

  @Test
  void cacheKeys_withoutAFile_declareCaches() {
    try (var manager = manager(URI.create("props-caches"),
        "weakalloc.cache.tiles.keyType", "java.lang.String",
        "weakalloc.cache.tiles.valueType", "byte[]",
        "weakalloc.cache.tiles.statistics", "true")) {
      Cache<String, byte[]> tiles = manager.getCache("tiles", String.class, byte[].class);
      assertThat(tiles).isNotNull();
      assertThat(statisticsEnabled(tiles)).isTrue();
    }
  }

  @Test
  void properties_overrideTheFile() throws Exception {
    Path file = dir.resolve("weakalloc.properties");
    Files.writeString(file, """
        weakalloc.region.capacity=2MiB
        weakalloc.cache.tiles.keyType=java.lang.String
        weakalloc.cache.tiles.statistics=false
        """, StandardCharsets.ISO_8859_1);
    try (var manager = manager(file.toUri(), "weakalloc.region.capacity", "5MiB",
        "weakalloc.cache.tiles.statistics", "true")) {
      assertThat(manager.regionStats().capacityBytes()).isEqualTo(5 << 20);
      Cache<String, Object> tiles = manager.getCache("tiles", String.class, Object.class);
      assertThat(statisticsEnabled(tiles)).isTrue();
    }
  }

  @Test
  void badValue_failsNamingKeyValueAndTheProperties() {
    assertThatThrownBy(() -> manager(URI.create("props-bad"),
        "weakalloc.region.capacity", "lots"))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("the CacheManager properties of props-bad")
        .hasMessageContaining("weakalloc.region.capacity=lots");
  }

  @Test
  void unknownKey_failsNamingIt() {
    assertThatThrownBy(() -> manager(URI.create("props-unknown"),
        "weakalloc.region.capacty", "1MiB"))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("weakalloc.region.capacty=1MiB")
        .hasMessageContaining("unknown key");
  }

  @Test
  void badFileValue_isStillBlamedOnTheFile() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "weakalloc.cache.tiles.expiry=soon\n", StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> manager(file.toUri(), "weakalloc.region.capacity", "2MiB"))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("in " + file.toUri() + ": weakalloc.cache.tiles.expiry=soon");
  }
}
