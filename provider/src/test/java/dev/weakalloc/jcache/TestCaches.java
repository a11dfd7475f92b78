package dev.weakalloc.jcache;

import dev.weakalloc.jcache.internal.FakeTicker;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/** Fresh managers for tests: a new provider and a unique URI each, so tests never share state. */
final class TestCaches {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private TestCaches() {}

  static WeakAllocCacheManager newManager() {
    return newManager(URI.create("test-manager-" + SEQUENCE.incrementAndGet()));
  }

  static WeakAllocCacheManager newManager(URI uri) {
    return (WeakAllocCacheManager)
        new WeakAllocCachingProvider()
            .getCacheManager(uri, TestCaches.class.getClassLoader(), new Properties());
  }

  /** {@return a fresh manager whose expiry and statistics read {@code ticker}} */
  static WeakAllocCacheManager newManager(FakeTicker ticker) {
    return (WeakAllocCacheManager) new WeakAllocCachingProvider().getCacheManager(
        URI.create("test-manager-" + SEQUENCE.incrementAndGet()), TestCaches.class.getClassLoader(),
        ticker.into(new Properties()));
  }

  @SuppressWarnings("unchecked")
  static <K, V> WeakAllocCache<K, V> unwrap(javax.cache.Cache<K, V> cache) {
    return cache.unwrap(WeakAllocCache.class);
  }

  static byte[] bytes(int size, int seed) {
    byte[] value = new byte[size];
    for (int i = 0; i < size; i++) {
      value[i] = (byte) (seed * 31 + i);
    }
    return value;
  }
}
