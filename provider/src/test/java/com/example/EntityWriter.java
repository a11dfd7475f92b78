package com.example;

import java.util.Collection;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;

/**
 * The write-through writer that provider/README.md's configuration example names: here so that
 * the example loads as it is ({@code DocumentedPropertiesTest}). Writes nowhere.
 */
public class EntityWriter implements CacheWriter<Object, Object> {
  @Override
  public void write(Cache.Entry<?, ?> entry) {}

  @Override
  public void writeAll(Collection<Cache.Entry<?, ?>> entries) {}

  @Override
  public void delete(Object key) {}

  @Override
  public void deleteAll(Collection<?> keys) {}
}
