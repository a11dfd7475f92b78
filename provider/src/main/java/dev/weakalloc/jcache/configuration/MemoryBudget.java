package dev.weakalloc.jcache.configuration;

import java.lang.management.ManagementFactory;

/**
 * The default capacity of a manager's region: {@value #DEFAULT_PERCENT}% of the memory the process
 * may use, as the JDK reports it ({@code com.sun.management.OperatingSystemMXBean
 * .getTotalMemorySize()}): the physical memory or, in a container, the container's memory limit
 * (cgroup v1 or v2, nested groups included). Never all of it: the Java heap, the JVM and
 * everything else need the rest.
 *
 * <p>Thread safety: stateless and thread-safe.
 */
public final class MemoryBudget {
  /** The share of the available memory a region takes by default, in percent. */
  public static final int DEFAULT_PERCENT = 25;

  /** The smallest region: 1 MiB. */
  public static final long MIN_CAPACITY = 1L << 20;

  private MemoryBudget() {}

  /** {@return {@value #DEFAULT_PERCENT}% of {@link #availableMemory()}, at least 1 MiB} */
  public static long defaultRegionCapacity() {
    return percentOfAvailable(DEFAULT_PERCENT);
  }

  /** {@return {@code percent}% of {@link #availableMemory()}, at least 1 MiB} */
  public static long percentOfAvailable(double percent) {
    return Math.max(MIN_CAPACITY, (long) (availableMemory() * (percent / 100.0)));
  }

  /**
   * {@return the memory the process may use: the container's limit when it runs in one, else the
   * physical memory} Without the JDK's {@code com.sun.management} bean (another JVM), four times
   * the maximum heap.
   */
  public static long availableMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory() * 4;
  }
}
