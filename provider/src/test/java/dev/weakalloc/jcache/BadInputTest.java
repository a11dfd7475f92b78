package dev.weakalloc.jcache;

import static dev.weakalloc.jcache.TestCaches.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.CodecException;
import dev.weakalloc.ValueTooLargeException;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad keys and values fail as the spec says and leave the cache unchanged. */
class BadInputTest {
  private final WeakAllocCacheManager manager = TestCaches.newManager();

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void nullKeyOrValue_throwNullPointerException() {
    Cache<String, String> cache = manager.createCache("nulls", new MutableConfiguration<>());
    assertThatThrownBy(() -> cache.put(null, "v")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.get(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void wrongType_throwsClassCastException_andLeavesTheCacheUnchanged() {
    Cache raw = manager.createCache(
        "typed", new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
    raw.put("k", 1);
    assertThatThrownBy(() -> raw.put("k", "not an int")).isInstanceOf(ClassCastException.class);
    assertThatThrownBy(() -> raw.put(2, 2)).isInstanceOf(ClassCastException.class);
    assertThat(raw.get("k")).isEqualTo(1);
  }

  @Test
  void unserializableValue_throwsCacheExceptionCausedByCodecException_andLeavesTheCacheUnchanged() {
    Cache<String, Object> cache = manager.createCache("objects", new MutableConfiguration<>());
    cache.put("k", "before");
    assertThatThrownBy(() -> cache.put("k", new Object()))
        .isInstanceOf(CacheException.class)
        .hasCauseInstanceOf(CodecException.class);
    assertThat(cache.get("k")).isEqualTo("before");
  }

  @Test
  void valueLargerThanTheRegion_throwsAClearCacheException_andLeavesTheCacheUnchanged() {
    var config = new WeakAllocConfiguration<String, byte[]>().setOwnRegion(1 << 20);
    config.setTypes(String.class, byte[].class);
    Cache<String, byte[]> cache = manager.createCache("small", config);
    cache.put("k", bytes(10, 1));
    assertThatThrownBy(() -> cache.put("k", new byte[2 << 20]))
        .isInstanceOf(CacheException.class)
        .hasCauseInstanceOf(ValueTooLargeException.class)
        .hasMessageContaining("too large");
    assertThat(cache.get("k")).isEqualTo(bytes(10, 1));
  }

  @Test
  void storeByReference_isRejectedAsUnsupported() {
    assertThatThrownBy(() -> manager.createCache(
            "byRef", new MutableConfiguration<String, String>().setStoreByValue(false)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void get_returnsAFreshCopy() {
    Cache<String, byte[]> cache = manager.createCache("copies", new MutableConfiguration<>());
    byte[] value = bytes(8, 1);
    cache.put("k", value);
    value[0] = 42;
    byte[] read = cache.get("k");
    assertThat(read).isEqualTo(bytes(8, 1));
    read[1] = 42;
    assertThat(cache.get("k")).isEqualTo(bytes(8, 1));
  }
}
