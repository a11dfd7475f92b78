package dev.weakalloc.jcache;

import dev.weakalloc.jcache.management.JmxRegistration;
import dev.weakalloc.jcache.management.JmxRegistration.MBeanType;
import dev.weakalloc.jcache.management.NearCacheStatistics;
import java.lang.management.ManagementFactory;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The JCache statistics of a near cache the manager-wide switch made: the backing cache's (which
 * the JCache API exposes only as its {@code CacheStatisticsMXBean}, read here from the platform
 * MBean server where JCache providers register it), with the near hits added: a near hit never
 * reaches the backing cache, and every other get, put and removal does, exactly once.
 *
 * <p>If the backing cache's MXBean cannot be read (statistics off there, or a provider that does
 * not register it), every figure reads as the backing cache's zero, plus the near hits.
 *
 * <p>Thread safety: thread-safe; {@link #clear()} and a read racing with it may see the near hits
 * before or after the clear.
 */
final class CarriedStatistics {
  private static final System.Logger LOG = System.getLogger(WeakAllocCache.class.getName());
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final ObjectName name;
  private final NearCacheStatistics near;
  private volatile long nearHitsAtClear;

  CarriedStatistics(Cache<?, ?> backing, CacheManager backingManager, NearCacheStatistics near) {
    this.name = JmxRegistration.objectName(
        MBeanType.CacheStatistics, backingManager.getURI().toString(), backing.getName());
    this.near = near;
  }

  private long nearHits() {
    return near.hitCount() - nearHitsAtClear;
  }

  private Object attribute(String attribute) {
    try {
      return server.getAttribute(name, attribute);
    } catch (JMException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "cannot read " + name + " " + attribute, e);
      return null;
    }
  }

  private long count(String attribute) {
    return attribute(attribute) instanceof Number n ? n.longValue() : 0L;
  }

  private float average(String attribute) {
    return attribute(attribute) instanceof Number n ? n.floatValue() : 0f;
  }

  /** Clears the backing cache's statistics and starts counting near hits again. */
  void clear() {
    nearHitsAtClear = near.hitCount();
    try {
      server.invoke(name, "clear", new Object[0], new String[0]);
    } catch (JMException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "cannot clear " + name, e);
    }
  }

  long hits() {
    return count("CacheHits") + nearHits();
  }

  long misses() {
    return count("CacheMisses");
  }

  long gets() {
    return hits() + misses();
  }

  float hitPercentage() {
    return percentage(hits(), misses());
  }

  float missPercentage() {
    return percentage(misses(), hits());
  }

  private static float percentage(long part, long rest) {
    long all = part + rest;
    return all == 0 ? 0f : (float) part / all * 100f;
  }

  /** {@return the backing cache's count {@code name} (CachePuts, CacheRemovals, CacheEvictions)} */
  long backingCount(String name) {
    return count(name);
  }

  /** {@return the backing cache's average time of {@code operation} (Get, Put, Remove), in µs} */
  float averageTime(String operation) {
    return average("Average" + operation + "Time");
  }
}
