package dev.weakalloc.benchmarks;

import com.github.benmanes.caffeine.cache.Weigher;
import com.github.benmanes.caffeine.jcache.configuration.CaffeineConfiguration;
import dev.weakalloc.Admission;
import dev.weakalloc.MemoryAllocator;
import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import java.io.Serial;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.Factory;

/**
 * The two JCache caches the provider benchmarks compare, built at the same byte budget, both
 * store-by-value, statistics and management off, eternal entries:
 *
 * <ul>
 *   <li>{@value #WEAK_ALLOC}: this project's provider, the cache with a region of its own of the
 *       budget; {@code get} decodes a fresh copy of the off-heap value, {@code put} encodes the
 *       value into the region.
 *   <li>{@value #WEAK_ALLOC_TINY_LFU}: the same, its region with {@link Admission#TINY_LFU}.
 *   <li>{@value #CAFFEINE_JCACHE}: Caffeine's JCache provider (3.2.3), configured through {@link
 *       CaffeineConfiguration}: {@code setStoreByValue(true)}, {@code maximumWeight} = the budget,
 *       a weigher of {@code value.length + }{@link #overhead()} (the region's block header, so that
 *       both sides hold the same number of entries), everything else at Caffeine's defaults
 *       (maintenance on {@code ForkJoinPool.commonPool()}). Store-by-value makes {@code get} and
 *       {@code put} copy the {@code byte[]} ({@code clone}); keys are {@code Integer}s, immutable,
 *       copied by neither side.
 * </ul>
 *
 * <p>Each provider is found by its class name, as an application with both on the class path would.
 * Thread safety: stateless; the caches it returns are thread-safe.
 */
final class ProviderCaches {
  /** The side name of this project's provider. */
  static final String WEAK_ALLOC = "weakAlloc";
  /** The side name of this project's provider with TinyLFU admission on the cache's region. */
  static final String WEAK_ALLOC_TINY_LFU = "weakAllocTinyLfu";
  /** The side name of Caffeine's JCache provider. */
  static final String CAFFEINE_JCACHE = "caffeineJCache";
  /**
   * Caffeine's JCache provider as {@link #CAFFEINE_JCACHE}, but with its maintenance (the drain of
   * its read and write buffers) run on the calling thread, as ours is. Not in the default
   * parameters; pass {@code -p side=caffeineJCacheInline} to see what the executor is worth.
   */
  static final String CAFFEINE_JCACHE_INLINE = "caffeineJCacheInline";

  static final String WEAK_ALLOC_PROVIDER = "dev.weakalloc.jcache.spi.WeakAllocCachingProvider";
  static final String CAFFEINE_PROVIDER =
      "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";

  private ProviderCaches() {}

  /** {@return the per-entry bytes the region adds to a 1 KiB value; Caffeine's weigher adds them too} */
  static int overhead() {
    try (MemoryAllocator region = MemoryAllocator.region(1L << 20)) {
      return (int) (region.blockSize(HitRatio.VALUE_SIZE) - HitRatio.VALUE_SIZE);
    }
  }

  /** {@return a new, empty cache named {@code name} of the given side, bounded by {@code budgetBytes}} */
  static Cache<Integer, byte[]> create(String side, String name, long budgetBytes) {
    return switch (side) {
      case WEAK_ALLOC -> weakAlloc(name, budgetBytes, Admission.NONE);
      case WEAK_ALLOC_TINY_LFU -> weakAlloc(name, budgetBytes, Admission.TINY_LFU);
      case CAFFEINE_JCACHE -> caffeine(name, budgetBytes, false);
      case CAFFEINE_JCACHE_INLINE -> caffeine(name, budgetBytes, true);
      default -> throw new IllegalArgumentException("unknown side: " + side);
    };
  }

  private static Cache<Integer, byte[]> weakAlloc(
      String name, long budgetBytes, Admission admission) {
    CacheManager manager = Caching.getCachingProvider(WEAK_ALLOC_PROVIDER).getCacheManager();
    WeakAllocConfiguration<Integer, byte[]> configuration = new WeakAllocConfiguration<>();
    configuration.setTypes(Integer.class, byte[].class);
    configuration.setOwnRegion(budgetBytes);
    configuration.setAdmission(admission);
    return manager.createCache(name, configuration);
  }

  private static Cache<Integer, byte[]> caffeine(String name, long budgetBytes, boolean inline) {
    CacheManager manager = Caching.getCachingProvider(CAFFEINE_PROVIDER).getCacheManager();
    CaffeineConfiguration<Integer, byte[]> configuration = new CaffeineConfiguration<>();
    configuration.setTypes(Integer.class, byte[].class);
    configuration.setStoreByValue(true);
    configuration.setMaximumWeight(OptionalLong.of(budgetBytes));
    configuration.setWeigherFactory(Optional.of(new ByteWeigher(overhead())));
    if (inline) {
      configuration.setExecutorFactory(new CallingThread());
    }
    return manager.createCache(name, configuration);
  }

  /** {@return the number of values the region evicted, or -1 for Caffeine (not exposed)} */
  static long evictions(Cache<Integer, byte[]> cache) {
    return cache instanceof WeakAllocCache<?, ?> ours ? ours.regionStats().evictions() : -1;
  }

  /** Destroys the cache, releasing its region or heap. */
  static void destroy(Cache<Integer, byte[]> cache) {
    cache.getCacheManager().destroyCache(cache.getName());
  }

  /** Weighs a value as its length plus a fixed per-entry overhead. */
  static final class ByteWeigher implements Factory<Weigher<Integer, byte[]>> {
    @Serial private static final long serialVersionUID = 1L;
    private final int overhead;

    ByteWeigher(int overhead) {
      this.overhead = overhead;
    }

    @Override
    public Weigher<Integer, byte[]> create() {
      int extra = overhead;
      return (key, value) -> value.length + extra;
    }
  }

  /** Runs Caffeine's maintenance on the calling thread. */
  static final class CallingThread implements Factory<Executor> {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public Executor create() {
      return Runnable::run;
    }
  }
}
