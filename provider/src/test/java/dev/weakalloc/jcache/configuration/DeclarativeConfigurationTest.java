package dev.weakalloc.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file: its format, its errors, and the URIs that name it. */
class DeclarativeConfigurationTest {
  private static final String CONFIG = """
      weakalloc.region.capacity=2MiB
      weakalloc.cache.tiles.keyType=java.lang.String
      weakalloc.cache.tiles.valueType=byte[]
      weakalloc.cache.tiles.expiry=created:10m
      weakalloc.cache.tiles.statistics=true
      """;

  @TempDir Path dir;

  private static CacheManager manager(URI uri) {
    return new WeakAllocCachingProvider()
        .getCacheManager(uri, DeclarativeConfigurationTest.class.getClassLoader(), new Properties());
  }

  private static void assertTilesCache(CacheManager manager) {
    Cache<String, byte[]> tiles = manager.getCache("tiles", String.class, byte[].class);
    assertThat(tiles).isNotNull();
    @SuppressWarnings("unchecked")
    CompleteConfiguration<String, byte[]> config = tiles.getConfiguration(CompleteConfiguration.class);
    assertThat(config.isStatisticsEnabled()).isTrue();
    assertThat(config.getExpiryPolicyFactory().create())
        .isEqualTo(new CreatedExpiryPolicy(new Duration(TimeUnit.MINUTES, 10)));
    assertThat(tiles.unwrap(WeakAllocCache.class).regionStats().capacityBytes()).isEqualTo(2 << 20);
    tiles.put("a", new byte[] {1});
    assertThat(tiles.get("a")).containsExactly(1);
  }

  @Test
  void fileUri_createsTheDeclaredCachesAtStart() throws Exception {
    Path file = dir.resolve("weakalloc.properties");
    Files.writeString(file, CONFIG);
    try (CacheManager manager = manager(file.toUri())) {
      assertTilesCache(manager);
    }
  }

  @Test
  void classpathUri_readsTheResource_andCacheNamesMayContainDots() {
    try (CacheManager manager = manager(URI.create("classpath:config/weakalloc-test.properties"))) {
      assertTilesCache(manager);
      Cache<Object, Object> entity = manager.getCache("com.example.Entity");
      assertThat(entity.unwrap(WeakAllocCache.class).hasOwnRegion()).isTrue();
      @SuppressWarnings("unchecked")
      CompleteConfiguration<Object, Object> config = entity.getConfiguration(CompleteConfiguration.class);
      assertThat(config.getExpiryPolicyFactory().create())
          .isEqualTo(new TouchedExpiryPolicy(new Duration(TimeUnit.SECONDS, 30)));
    }
  }

  @Test
  void jarUri_readsTheEntryThroughAUrlStream() throws Exception {
    Path jar = dir.resolve("config.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out)) {
      jarOut.putNextEntry(new JarEntry("conf/weakalloc.properties"));
      jarOut.write(CONFIG.getBytes(StandardCharsets.ISO_8859_1));
      jarOut.closeEntry();
    }
    URI uri = URI.create("jar:" + jar.toUri() + "!/conf/weakalloc.properties");
    try (CacheManager manager = manager(uri)) {
      assertTilesCache(manager);
    }
  }

  @Test
  void barePathOfAPropertiesFile_readsTheFile() throws Exception {
    Path file = dir.resolve("weakalloc.properties");
    Files.writeString(file, CONFIG);
    try (CacheManager manager = manager(URI.create(file.toString()))) {
      assertTilesCache(manager);
    }
  }

  @Test
  void barePathOfAMissingPropertiesFile_failsNamingIt() {
    String path = dir.resolve("nope.properties").toString();
    assertThatThrownBy(() -> manager(URI.create(path)))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining(path)
        .hasMessageContaining("no such classpath resource nor file");
  }

  @Test
  void missingClasspathResource_failsWithTheUri() {
    assertThatThrownBy(() -> manager(URI.create("classpath:no/such.properties")))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("no/such.properties");
  }

  @Test
  void missingFile_fails() {
    URI uri = dir.resolve("absent.properties").toUri();
    assertThatThrownBy(() -> manager(uri)).isInstanceOf(CacheException.class);
  }

  @Test
  void nonUrlUri_configuresNothing() {
    try (CacheManager manager = manager(URI.create("just-a-name"))) {
      assertThat(manager.getCacheNames()).isEmpty();
    }
  }

  private static Properties properties(String key, String value) {
    Properties properties = new Properties();
    properties.setProperty(key, value);
    return properties;
  }

  @Test
  void badValues_failWithTheKeyAndTheValueInTheMessage() {
    String[][] cases = {
      {"weakalloc.region.capacity", "lots"},
      {"weakalloc.region.capacity", "12PiB"},
      {"weakalloc.region.capacity", "150%"},
      {"weakalloc.cache.c.expiry", "created:soon"},
      {"weakalloc.cache.c.expiry", "sometimes:10m"},
      {"weakalloc.cache.c.statistics", "yes"},
      {"weakalloc.cache.c.keyType", "com.example.Missing"},
      {"weakalloc.cache.c.codec", "java.lang.String"},
      {"weakalloc.cache.c.colour", "blue"},
      {"weakalloc.regoin.capacity", "1MiB"},
      {"weakalloc.region.admission", "lfu"},
      {"weakalloc.cache.c.admission", "sometimes"},
      {"weakalloc.cache.c.admission", "tinylfu"}, // a cache that shares the manager's region
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> DeclarativeConfiguration.parse(properties(c[0], c[1]), getClass().getClassLoader(), "test"))
          .as("%s=%s", c[0], c[1])
          .isInstanceOf(CacheException.class)
          .hasMessageContaining(c[0] + "=" + c[1]);
    }
  }

  @Test
  void admission_setsTheSharedRegionsAndACachesOwn() {
    Properties properties = new Properties();
    properties.setProperty("weakalloc.region.admission", "TinyLFU");
    properties.setProperty("weakalloc.cache.own.region", "1MiB");
    properties.setProperty("weakalloc.cache.own.admission", "tiny-lfu");
    properties.setProperty("weakalloc.cache.plain.region", "1MiB");
    var parsed = DeclarativeConfiguration.parse(properties, getClass().getClassLoader(), "test");

    assertThat(parsed.regionAdmission()).isEqualTo(dev.weakalloc.Admission.TINY_LFU);
    assertThat(parsed.caches().get("own").getAdmission()).isEqualTo(dev.weakalloc.Admission.TINY_LFU);
    assertThat(parsed.caches().get("plain").getAdmission()).isEqualTo(dev.weakalloc.Admission.NONE);
    assertThat(DeclarativeConfiguration.parse(new Properties() {{ setProperty("weakalloc.region.capacity", "1MiB"); }},
        getClass().getClassLoader(), "test").regionAdmission()).isEqualTo(dev.weakalloc.Admission.NONE);
  }

  @Test
  void parseCapacity_acceptsBinaryUnits() {
    assertThat(DeclarativeConfiguration.parseCapacity("1024")).isEqualTo(1024);
    assertThat(DeclarativeConfiguration.parseCapacity("64KiB")).isEqualTo(64 << 10);
    assertThat(DeclarativeConfiguration.parseCapacity("256 MiB")).isEqualTo(256L << 20);
    assertThat(DeclarativeConfiguration.parseCapacity("2g")).isEqualTo(2L << 30);
    assertThat(DeclarativeConfiguration.parseCapacity("1_000")).isEqualTo(1000);
  }

  @Test
  void parseDuration_acceptsUnits() {
    assertThat(DeclarativeConfiguration.parseDuration("500ms"))
        .isEqualTo(new Duration(TimeUnit.MILLISECONDS, 500));
    assertThat(DeclarativeConfiguration.parseDuration("2h")).isEqualTo(new Duration(TimeUnit.HOURS, 2));
    assertThat(DeclarativeConfiguration.parseDuration("eternal")).isEqualTo(Duration.ETERNAL);
    assertThat(DeclarativeConfiguration.parseDuration("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void percentCapacity_isThatShareOfTheMemoryTheJdkReports() {
    long total = ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    assertThat(DeclarativeConfiguration.parseCapacity("10%")).isEqualTo((long) (total * 0.10));
    assertThat(MemoryBudget.defaultRegionCapacity()).isEqualTo((long) (total * 0.25));
  }
}
