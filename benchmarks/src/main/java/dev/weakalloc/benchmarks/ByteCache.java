package dev.weakalloc.benchmarks;

import dev.weakalloc.jcache.WeakAllocCache;
import java.util.Map;
import javax.cache.Cache;
import org.caffinitas.ohc.OHCache;

/**
 * What the provider benchmarks do with a cache: a {@code get} that returns a fresh copy of a 1
 * KiB value and a {@code put} that stores one, over a JCache cache or over an off-heap peer that
 * has no JCache provider (OHC). Each benchmark trial uses one implementation, so the call site
 * stays monomorphic and the adapter costs nothing measurable.
 *
 * <p>Thread safety: as thread-safe as the cache it wraps (all of them are). Memory: the cache owns
 * its values (heap or off-heap); {@link #destroy()} releases them.
 */
interface ByteCache {
  /** {@return a copy of the key's value, or null} */
  byte[] get(Integer key);

  /** Stores a copy of {@code value} under {@code key}. */
  void put(Integer key, byte[] value);

  /** Stores a copy of each of {@code values} under its key, in one {@code putAll}. */
  void putAll(Map<Integer, byte[]> values);

  /** {@return how many values were evicted, or -1 if the cache does not say} */
  long evictions();

  /** Releases the cache and its memory. */
  void destroy();

  /** {@return whether {@link #destroy()} ran} */
  boolean isClosed();

  /** {@return a view of a JCache cache} */
  static ByteCache of(Cache<Integer, byte[]> cache) {
    return new ByteCache() {
      @Override
      public byte[] get(Integer key) {
        return cache.get(key);
      }

      @Override
      public void put(Integer key, byte[] value) {
        cache.put(key, value);
      }

      @Override
      public void putAll(Map<Integer, byte[]> values) {
        cache.putAll(values);
      }

      @Override
      public long evictions() {
        return cache instanceof WeakAllocCache<?, ?> ours ? ours.regionStats().evictions() : -1;
      }

      @Override
      public void destroy() {
        cache.getCacheManager().destroyCache(cache.getName());
      }

      @Override
      public boolean isClosed() {
        return cache.isClosed();
      }
    };
  }

  /** {@return a view of an OHC cache, which it closes on destroy} */
  static ByteCache of(OHCache<Integer, byte[]> cache) {
    return new ByteCache() {
      private volatile boolean closed;

      @Override
      public byte[] get(Integer key) {
        return cache.get(key);
      }

      @Override
      public void put(Integer key, byte[] value) {
        cache.put(key, value);
      }

      @Override
      public void putAll(Map<Integer, byte[]> values) {
        cache.putAll(values);
      }

      @Override
      public long evictions() {
        return cache.stats().getEvictionCount();
      }

      @Override
      public void destroy() {
        try {
          cache.close();
          closed = true;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      @Override
      public boolean isClosed() {
        return closed;
      }
    };
  }
}
