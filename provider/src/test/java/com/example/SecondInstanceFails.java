package com.example;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.integration.CacheLoader;

/**
 * A loader whose first instance can be made and every later one fails: the configuration check
 * at parse time makes the first, the cache's creation the second, so a test can make a manager's
 * creation fail after some of its caches exist ({@code ConfigurationAtStartTest}).
 */
public class SecondInstanceFails implements CacheLoader<Object, Object> {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Fails unless this is the first instance since {@link #reset()}. */
  public SecondInstanceFails() {
    if (INSTANCES.incrementAndGet() > 1) {
      throw new IllegalStateException("only one instance may be made");
    }
  }

  /** Lets the next instance be made. */
  public static void reset() {
    INSTANCES.set(0);
  }

  @Override
  public Object load(Object key) {
    return null;
  }

  @Override
  public Map<Object, Object> loadAll(Iterable<?> keys) {
    return Map.of();
  }
}
