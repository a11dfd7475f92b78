package dev.weakalloc.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.SecondInstanceFails;
import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad configuration fails when the manager is created, with a {@link CacheException} that names
 * the key, the value and the file; a manager whose creation fails leaves nothing behind.
 */
class ConfigurationAtStartTest {
  @TempDir Path dir;

  private CacheManager manager(String config) throws Exception {
    Path file = dir.resolve("weakalloc.properties");
    Files.writeString(file, config);
    return new WeakAllocCachingProvider()
        .getCacheManager(file.toUri(), getClass().getClassLoader(), new Properties());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
    "weakalloc.region.capacity      | 1000                    | a region needs at least 65536 bytes",
    "weakalloc.cache.x.region       | 1000                    | a region needs at least 65536 bytes",
    "weakalloc.cache.x.expiry       | class:com.nope.Policy   | class not found: com.nope.Policy",
    "weakalloc.cache.x.expiry       | class:java.lang.String  | is not a javax.cache.expiry.ExpiryPolicy",
    "weakalloc.cache.x.storeByValue | false                   | store-by-reference is not supported",
  })
  void invalidEntry_failsAtStartNamingKeyValueAndFile(String key, String value, String why) {
    assertThatThrownBy(() -> manager(key + "=" + value + "\n"))
        .isExactlyInstanceOf(CacheException.class)
        .hasMessageContaining(key + "=" + value)
        .hasMessageContaining("weakalloc.properties")
        .hasMessageContaining(why);
  }

  @Test
  void codecThatCannotHoldTheValueType_failsAtStart() {
    assertThatThrownBy(() -> manager("""
        weakalloc.cache.x.valueType=byte[]
        weakalloc.cache.x.codec=string
        """))
        .isExactlyInstanceOf(CacheException.class)
        .hasMessageContaining("weakalloc.cache.x.codec=string")
        .hasMessageContaining("cannot hold values of byte[]")
        .hasMessageContaining("weakalloc.properties");
  }

  @Test
  void capacityFarBeyondTheMachine_costsNothingUntilUsed() throws Exception {
    try (CacheManager manager = manager("""
        weakalloc.region.capacity=1000t
        weakalloc.cache.x.valueType=byte[]
        """)) {
      Cache<Object, byte[]> cache = manager.getCache("x");
      cache.put("k", new byte[1000]);
      var stats = cache.unwrap(WeakAllocCache.class).regionStats();
      assertThat(stats.capacityBytes()).isEqualTo(1000L << 40);
      assertThat(stats.committedBytes()).as("one chunk of 32 MiB and its header room").isLessThanOrEqualTo(33L << 20);
    }
  }

  @Test
  void managerWhoseSecondCacheFails_leavesNoMXBeanOfTheFirst_andAFixedFileWorks() throws Exception {
    SecondInstanceFails.reset();
    String good = """
        weakalloc.cache.a.statistics=true
        weakalloc.cache.a.management=true
        weakalloc.cache.a.region=1MiB
        """;
    assertThatThrownBy(() -> manager(good + "weakalloc.cache.b.loader=com.example.SecondInstanceFails\n"))
        .hasStackTraceContaining("only one instance may be made");

    ObjectName statistics = new ObjectName("javax.cache:type=CacheStatistics,CacheManager="
        + dir.resolve("weakalloc.properties").toUri().toString().replaceAll(",|:|=|\n", ".") + ",Cache=a");
    var server = ManagementFactory.getPlatformMBeanServer();
    assertThat(server.isRegistered(statistics)).as("the failed manager's cache a").isFalse();

    try (CacheManager manager = manager(good)) {
      Cache<Object, Object> a = manager.getCache("a");
      for (int i = 0; i < 10; i++) {
        a.put(i, "v" + i);
      }
      assertThat(server.getAttribute(statistics, "CachePuts")).isEqualTo(10L);
    }
  }

  @Test
  void declaredLoader_thatOnlyTheManagersLoaderSees_isMadeWithThatLoader() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    thread.setContextClassLoader(new URLClassLoader(new URL[0], null)); // sees no test class
    try (CacheManager manager = manager("""
        weakalloc.cache.e.keyType=java.lang.Integer
        weakalloc.cache.e.valueType=java.lang.Object
        weakalloc.cache.e.loader=com.example.EntityLoader
        """)) {
      Cache<Integer, Object> cache = manager.getCache("e", Integer.class, Object.class);
      assertThat(cache.get(42)).isEqualTo("42");
    } finally {
      thread.setContextClassLoader(context);
    }
  }
}
