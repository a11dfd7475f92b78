package com.example;

import java.util.HashMap;
import java.util.Map;
import javax.cache.integration.CacheLoader;

/**
 * The read-through loader that provider/README.md's configuration example names: here so that the
 * example loads as it is ({@code DocumentedPropertiesTest}). Loads every key as its own string.
 */
public class EntityLoader implements CacheLoader<Object, Object> {
  @Override
  public Object load(Object key) {
    return String.valueOf(key);
  }

  @Override
  public Map<Object, Object> loadAll(Iterable<?> keys) {
    Map<Object, Object> loaded = new HashMap<>();
    keys.forEach(key -> loaded.put(key, load(key)));
    return loaded;
  }
}
