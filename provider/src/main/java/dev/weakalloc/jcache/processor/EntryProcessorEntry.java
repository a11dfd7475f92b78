package dev.weakalloc.jcache.processor;

import java.util.Objects;
import java.util.function.Function;
import javax.cache.processor.MutableEntry;

/**
 * The {@link MutableEntry} an entry processor works on: a private, on-heap copy of the entry whose
 * changes the cache applies, according to {@link #action()}, once the processor returns.
 *
 * <p>Thread safety: confined to the thread running the processor, which holds the entry's lock.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EntryProcessorEntry<K, V> implements MutableEntry<K, V> {
  private final K key;
  private final boolean existed;
  private final Function<K, V> loader;
  private V value;
  private Action action = Action.NONE;

  /**
   * Creates the entry.
   *
   * @param value the current value, or null if absent
   * @param loader loads a value for {@link #getValue()} on an absent entry (read-through), or null
   */
  public EntryProcessorEntry(K key, V value, Function<K, V> loader) {
    this.key = key;
    this.value = value;
    this.existed = value != null;
    this.loader = loader;
  }

  /** {@return what the processor did} */
  public Action action() {
    return action;
  }

  /** {@return whether the entry existed before the processor ran} */
  public boolean existed() {
    return existed;
  }

  /** {@return the value as the processor left it, or null if removed or absent} */
  public V value() {
    return value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    if (action != Action.NONE) {
      return value;
    }
    if (value != null) {
      action = Action.READ;
    } else if (loader != null) {
      value = loader.apply(key);
      if (value != null) {
        action = Action.LOADED;
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    return value != null;
  }

  @Override
  public void remove() {
    value = null;
    // Removing what this processor created undoes it; any other remove deletes through the writer.
    action = action == Action.CREATED ? Action.NONE : Action.DELETED;
  }

  @Override
  public void setValue(V value) {
    this.value = Objects.requireNonNull(value, "value");
    action = existed ? Action.UPDATED : Action.CREATED;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap a MutableEntry to " + clazz);
  }
}
