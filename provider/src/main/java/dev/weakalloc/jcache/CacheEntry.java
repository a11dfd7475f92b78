package dev.weakalloc.jcache;

import java.util.Objects;
import javax.cache.Cache;

/**
 * An immutable key-value pair: what the cache's iterator returns and what a {@code CacheWriter}
 * receives. The value is an on-heap copy; the entry does not refer to the off-heap region.
 *
 * <p>Thread safety: immutable.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class CacheEntry<K, V> implements Cache.Entry<K, V> {
  private final K key;
  private final V value;

  /** Creates an entry. */
  public CacheEntry(K key, V value) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap a cache entry to " + clazz);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cache.Entry<?, ?> other
        && key.equals(other.getKey())
        && Objects.equals(value, other.getValue());
  }

  @Override
  public int hashCode() {
    return key.hashCode() ^ Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
