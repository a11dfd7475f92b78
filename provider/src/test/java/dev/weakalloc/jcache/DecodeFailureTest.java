package dev.weakalloc.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.Codec;
import dev.weakalloc.Codecs;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.util.Iterator;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A value that cannot be decoded fails the read with a {@link CacheException} naming the cache and
 * the key, never with the codec's own exception ({@link IllegalStateException} is what JCache
 * reserves for a closed cache); and an iterator of a closed cache throws whatever it said before.
 */
class DecodeFailureTest {
  private final WeakAllocCacheManager manager = TestCaches.newManager();

  @AfterEach
  void close() {
    manager.close();
  }

  /** Encodes strings as UTF-8; decoding fails as a codec might, with IllegalStateException. */
  private static final Codec<String> UNDECODABLE = new Codec<>() {
    @Override
    public Encoding encode(String value) {
      return Codecs.string().encode(value);
    }

    @Override
    public String decode(MemorySegment bytes) {
      throw new IllegalStateException("codec state broken");
    }
  };

  private Cache<Integer, String> undecodable() {
    var config = new WeakAllocConfiguration<Integer, String>().setCodec(UNDECODABLE);
    config.setTypes(Integer.class, String.class);
    Cache<Integer, String> cache = manager.createCache("undecodable", config);
    cache.put(7, "seven");
    return cache;
  }

  @Test
  void get_undecodableValue_throwsCacheExceptionNamingCacheAndKey() {
    Cache<Integer, String> cache = undecodable();

    assertThatThrownBy(() -> cache.get(7))
        .isExactlyInstanceOf(CacheException.class)
        .hasMessageContaining("cache undecodable, key 7: cannot decode the value")
        .hasRootCauseMessage("codec state broken");
    assertThatThrownBy(() -> cache.getAll(Set.of(7))).isExactlyInstanceOf(CacheException.class)
        .hasMessageContaining("key 7");
    assertThatThrownBy(() -> cache.getAndPut(7, "again")).isExactlyInstanceOf(CacheException.class)
        .hasMessageContaining("key 7");
    assertThatThrownBy(() -> cache.iterator().hasNext()).isExactlyInstanceOf(CacheException.class)
        .hasMessageContaining("key 7");
  }

  /** Serializable, but its readObject fails. */
  static final class Unreadable implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    @Serial
    private void readObject(ObjectInputStream in) throws IOException {
      throw new IOException("cannot read me");
    }
  }

  @Test
  void get_serializableValueWhoseReadObjectThrows_throwsCacheExceptionNamingTheKey() {
    Cache<String, Unreadable> cache = manager.createCache("unreadable",
        new MutableConfiguration<String, Unreadable>().setTypes(String.class, Unreadable.class));
    cache.put("k", new Unreadable());

    assertThatThrownBy(() -> cache.get("k"))
        .isExactlyInstanceOf(CacheException.class)
        .hasMessageContaining("cache unreadable, key k: cannot decode the value");
  }

  @Test
  void iteratorNext_afterTheCacheClosed_throwsIllegalStateEvenAfterHasNext() {
    Cache<Integer, String> cache = manager.createCache("closing",
        new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
    cache.put(1, "one");
    Iterator<Cache.Entry<Integer, String>> iterator = cache.iterator();
    assertThat(iterator.hasNext()).isTrue();

    cache.close();

    assertThatThrownBy(iterator::next).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closing is closed");
    assertThatThrownBy(iterator::hasNext).isInstanceOf(IllegalStateException.class);
  }
}
