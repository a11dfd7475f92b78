package dev.weakalloc.samples.region;

import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.cache.Cache;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The JCache row: a {@link RegionCache} over the cache {@link RegionCaches#open(long)} obtains
 * from the JCache provider on the class path. Evictions come from the cache's standard statistics
 * MXBean.
 *
 * <p>TODO(lead): once weakalloc-jcache lands, read the peak from its region statistics (through
 * {@code cache.unwrap}) instead of reporting it unknown.
 *
 * <p>Thread-safe.
 */
final class JCacheService implements RegionService {
  private final RegionFiles files;
  private final Cache<RegionPos, byte[]> cache;
  private final RegionCache regions;

  JCacheService(RegionFiles files, long budgetBytes) {
    this.files = files;
    this.cache = RegionCaches.open(budgetBytes);
    this.regions = new RegionCache(cache, files);
  }

  @Override
  public String name() {
    return "JCache (" + cache.getCacheManager().getCachingProvider().getClass().getSimpleName() + ")";
  }

  @Override
  public byte[] chunk(RegionPos region, int index) throws ChunkLoadException {
    return UncompressedRegion.chunk(regions.getUncompressedFile(region.x(), region.z()), index);
  }

  @Override
  public RegionFiles files() {
    return files;
  }

  @Override
  public long evictions() {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      Set<ObjectName> names = server.queryNames(new ObjectName(
          "javax.cache:type=CacheStatistics,CacheManager=*,Cache=" + cache.getName()), null);
      long evictions = 0;
      for (ObjectName name : names) {
        evictions += (Long) server.getAttribute(name, "CacheEvictions");
      }
      return names.isEmpty() ? -1 : evictions;
    } catch (JMException e) {
      return -1;
    }
  }

  @Override
  public long peakBytes() {
    return -1;
  }

  @Override
  public void close() {
    RegionCaches.close(cache);
  }
}
