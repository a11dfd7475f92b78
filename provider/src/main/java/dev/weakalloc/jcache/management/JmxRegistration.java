package dev.weakalloc.jcache.management;

import java.lang.management.ManagementFactory;
import java.util.regex.Pattern;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;

/**
 * Registers a cache's MXBeans on the platform MBean server under the names JCache and
 * Micrometer's {@code JCacheMetrics} expect: {@code
 * javax.cache:type=CacheStatistics|CacheConfiguration,CacheManager=<uri>,Cache=<name>}, where
 * {@code ,}, {@code :}, {@code =} and newlines in the URI and name become {@code .}
 * exactly as Micrometer does it; so do {@code *}, {@code ?}, {@code "} and carriage returns, which
 * would otherwise make the name a pattern (Micrometer cannot find such a cache either way).
 *
 * <p>Thread safety: stateless and thread-safe.
 */
public final class JmxRegistration {
  /** The two kinds of cache MXBean. */
  public enum MBeanType {
    /** The {@code CacheMXBean}. */
    CacheConfiguration,
    /** The {@code CacheStatisticsMXBean}. */
    CacheStatistics
  }

  /** Exactly Micrometer's {@code JCacheMetrics} replacement. */
  private static final Pattern UNSAFE = Pattern.compile(",|:|=|\n");

  /** Characters that would make the name a pattern or unparsable; Micrometer cannot look these up. */
  private static final Pattern PATTERN_CHARS = Pattern.compile("[*?\"\r]");

  private JmxRegistration() {}

  /** {@return {@code value} with the characters an ObjectName value cannot hold replaced by '.'} */
  public static String sanitize(String value) {
    if (value == null) {
      return "";
    }
    String safe = UNSAFE.matcher(value).replaceAll(".");
    return PATTERN_CHARS.matcher(safe).replaceAll(".");
  }

  /** {@return the object name of a cache's MXBean} */
  public static ObjectName objectName(MBeanType type, String managerUri, String cacheName) {
    String name =
        "javax.cache:type="
            + type
            + ",CacheManager="
            + sanitize(managerUri)
            + ",Cache="
            + sanitize(cacheName);
    try {
      return new ObjectName(name);
    } catch (MalformedObjectNameException e) {
      throw new CacheException("illegal MBean name " + name, e);
    }
  }

  /**
   * Registers {@code bean} under {@code name}, replacing what is registered there: the bean of a
   * cache of the same name that is gone (a manager whose creation failed, say) must not hide the
   * new cache's figures.
   */
  public static void register(ObjectName name, Object bean) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      unregister(name);
      server.registerMBean(bean, name);
    } catch (InstanceAlreadyExistsException e) {
      // Benign race: another thread registered the same cache's bean.
    } catch (MBeanRegistrationException | NotCompliantMBeanException e) {
      throw new CacheException("cannot register the MBean " + name, e);
    }
  }

  /** Unregisters {@code name} if it is registered. */
  public static void unregister(ObjectName name) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (InstanceNotFoundException e) {
      // Benign race: already unregistered.
    } catch (MBeanRegistrationException e) {
      throw new CacheException("cannot unregister the MBean " + name, e);
    }
  }
}
