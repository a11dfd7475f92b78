package dev.weakalloc.jcache.configuration;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The default capacity of a manager's region: {@value #DEFAULT_PERCENT}% of the memory the process
 * may use, which is the physical memory or, in a container, the cgroup's limit when that is lower
 * ({@code /sys/fs/cgroup/memory.max} for cgroup v2, {@code
 * /sys/fs/cgroup/memory/memory.limit_in_bytes} for v1). Never all of it: the Java heap, the JVM and
 * everything else need the rest.
 *
 * <p>Thread safety: stateless and thread-safe.
 */
public final class MemoryBudget {
  /** The share of the available memory a region takes by default, in percent. */
  public static final int DEFAULT_PERCENT = 25;

  /** The smallest region: 1 MiB. */
  public static final long MIN_CAPACITY = 1L << 20;

  private static final Path CGROUP_V2 = Path.of("/sys/fs/cgroup/memory.max");
  private static final Path CGROUP_V1 = Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes");

  private MemoryBudget() {}

  /** {@return {@value #DEFAULT_PERCENT}% of {@link #availableMemory()}, at least 1 MiB} */
  public static long defaultRegionCapacity() {
    return percentOfAvailable(DEFAULT_PERCENT);
  }

  /** {@return {@code percent}% of {@link #availableMemory()}, at least 1 MiB} */
  public static long percentOfAvailable(double percent) {
    return Math.max(MIN_CAPACITY, (long) (availableMemory() * (percent / 100.0)));
  }

  /** {@return the memory the process may use: physical memory, or a lower container limit} */
  public static long availableMemory() {
    long physical = physicalMemory();
    OptionalLong limit = cgroupLimit();
    return limit.isPresent() && limit.getAsLong() < physical ? limit.getAsLong() : physical;
  }

  private static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory() * 4; // no better guess without the JDK's bean
  }

  /** {@return the cgroup memory limit, if the process runs under one} */
  static OptionalLong cgroupLimit() {
    OptionalLong v2 = readLimit(CGROUP_V2);
    return v2.isPresent() ? v2 : readLimit(CGROUP_V1);
  }

  static OptionalLong readLimit(Path file) {
    try {
      if (!Files.isReadable(file)) {
        return OptionalLong.empty();
      }
      String text = Files.readString(file).trim();
      if (text.isEmpty() || text.equals("max")) {
        return OptionalLong.empty();
      }
      long limit = Long.parseLong(text);
      // cgroup v1 reports "no limit" as a huge page-aligned number.
      return limit <= 0 || limit >= Long.MAX_VALUE / 2 ? OptionalLong.empty() : OptionalLong.of(limit);
    } catch (IOException | NumberFormatException | SecurityException e) {
      return OptionalLong.empty();
    }
  }
}
