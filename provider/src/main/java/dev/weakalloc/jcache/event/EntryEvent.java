package dev.weakalloc.jcache.event;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/**
 * One cache entry event. For {@code REMOVED} and {@code EXPIRED} events the value and the old
 * value are both the value that was removed, so a listener sees it whichever it reads. Old values
 * are decoded only when some listener for the event's type asked for them, and are then shown to
 * every listener (the spec allows it).
 *
 * <p>Thread safety: immutable. Memory: the values are on-heap copies decoded for the event.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EntryEvent<K, V> extends CacheEntryEvent<K, V> {
  private static final long serialVersionUID = 1L;

  private final transient K key;
  private final transient V value;
  private final transient V oldValue;
  private final boolean oldValueAvailable;

  /** Creates an event. */
  public EntryEvent(
      Cache<K, V> source, EventType type, K key, V value, V oldValue, boolean oldValueAvailable) {
    super(source, type);
    this.key = key;
    this.value = value;
    this.oldValue = oldValue;
    this.oldValueAvailable = oldValueAvailable;
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
  public V getOldValue() {
    return oldValueAvailable ? oldValue : null;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValueAvailable;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap an event to " + clazz);
  }

  @Override
  public String toString() {
    return getEventType() + "[" + key + ", " + value + ", old " + oldValue + "]";
  }
}
