package dev.weakalloc.samples.region;

import com.github.benmanes.caffeine.cache.Weigher;

/** Weighs region files by their length, for the Caffeine JCache stand-in (application.conf). */
public final class RegionWeigher implements Weigher<Object, Object> {
  @Override
  public int weigh(Object key, Object value) {
    return value instanceof byte[] bytes ? bytes.length : 1;
  }
}
