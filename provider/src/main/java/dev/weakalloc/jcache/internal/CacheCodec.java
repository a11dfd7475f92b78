package dev.weakalloc.jcache.internal;

import dev.weakalloc.Codec;
import java.lang.foreign.MemorySegment;

/**
 * The codec of one cache's values: the configured codec, and the cache the values belong to. A
 * cache's map holds the region's handles themselves, tagged with their keys; when the region,
 * shared by every cache of a manager, evicts a value, this codec (the {@linkplain
 * dev.weakalloc.WeakRef#codec() handle's codec}) says which cache loses it. So each cache has an
 * instance of its own, even where two caches share a configured codec.
 *
 * <p>Thread safety: immutable; as thread-safe as the codec it wraps.
 *
 * <p>Memory: owns nothing; encodes and decodes as the wrapped codec does.
 *
 * @param <V> the value type
 */
public final class CacheCodec<V> implements Codec<V> {
  private final Codec<V> values;
  private final EvictionSink cache;

  /** Wraps {@code values} for the values of {@code cache}. */
  public CacheCodec(Codec<V> values, EvictionSink cache) {
    this.values = values;
    this.cache = cache;
  }

  /** {@return the cache whose values this codec encodes} */
  public EvictionSink cache() {
    return cache;
  }

  @Override
  public Encoding encode(V value) {
    return values.encode(value);
  }

  @Override
  public V decode(MemorySegment bytes) {
    return values.decode(bytes);
  }

  @Override
  public V decodeCopy(byte[] bytes) {
    return values.decodeCopy(bytes);
  }

  /** {@return the wrapped codec's name, which failures quote} */
  @Override
  public String toString() {
    return values.toString();
  }
}
