package dev.weakalloc.benchmarks;

import com.github.benmanes.caffeine.cache.Weigher;
import com.github.benmanes.caffeine.jcache.configuration.CaffeineConfiguration;
import dev.weakalloc.Admission;
import dev.weakalloc.MemoryAllocator;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.Factory;
import org.caffinitas.ohc.CacheSerializer;
import org.caffinitas.ohc.Eviction;
import org.caffinitas.ohc.OHCache;
import org.caffinitas.ohc.OHCacheBuilder;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.jsr107.Eh107Configuration;

/**
 * The caches the provider benchmarks compare, built at the same byte budget, all store-by-value
 * (a get returns a copy), statistics and management off, eternal entries:
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
 *   <li>{@value #EHCACHE}: Ehcache 3 ({@value #EHCACHE_VERSION}) through its JCache provider, one
 *       off-heap tier of the budget and nothing on the heap; values are serialized into it.
 *   <li>{@value #OHC}: OHC ({@code org.caffinitas.ohc:ohc-core} 0.7.4, the off-heap cache of
 *       Apache Cassandra), which has no JCache provider and is timed through its own API: LRU,
 *       {@code capacity} = the budget (OHC counts its entries' overhead in it), default segments;
 *       a value is serialized as its length and bytes.
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

  /** The side name of Ehcache 3 with an off-heap tier, through its JCache provider. */
  static final String EHCACHE = "ehcache3OffHeap";
  /** The side name of OHC, through its own API. */
  static final String OHC = "ohc";
  static final String EHCACHE_VERSION = "3.12.0";

  static final String WEAK_ALLOC_PROVIDER = "dev.weakalloc.jcache.spi.WeakAllocCachingProvider";
  static final String CAFFEINE_PROVIDER =
      "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";
  static final String EHCACHE_PROVIDER = "org.ehcache.jsr107.EhcacheCachingProvider";

  private ProviderCaches() {}

  /** {@return the per-entry bytes the region adds to a 1 KiB value; Caffeine's weigher adds them too} */
  static int overhead() {
    try (MemoryAllocator region = MemoryAllocator.region(1L << 20)) {
      return (int) (region.blockSize(HitRatio.VALUE_SIZE) - HitRatio.VALUE_SIZE);
    }
  }

  /** {@return a new, empty cache named {@code name} of the given side, bounded by {@code budgetBytes}} */
  static ByteCache create(String side, String name, long budgetBytes) {
    return switch (side) {
      case WEAK_ALLOC -> ByteCache.of(weakAlloc(name, budgetBytes, Admission.NONE));
      case WEAK_ALLOC_TINY_LFU -> ByteCache.of(weakAlloc(name, budgetBytes, Admission.TINY_LFU));
      case CAFFEINE_JCACHE -> ByteCache.of(caffeine(name, budgetBytes, false));
      case CAFFEINE_JCACHE_INLINE -> ByteCache.of(caffeine(name, budgetBytes, true));
      case EHCACHE -> ByteCache.of(ehcache(name, budgetBytes));
      case OHC -> ByteCache.of(ohc(budgetBytes));
      default -> throw new IllegalArgumentException("unknown side: " + side);
    };
  }

  private static Cache<Integer, byte[]> ehcache(String name, long budgetBytes) {
    CacheManager manager = Caching.getCachingProvider(EHCACHE_PROVIDER).getCacheManager();
    return manager.createCache(name, Eh107Configuration.fromEhcacheCacheConfiguration(
        CacheConfigurationBuilder.newCacheConfigurationBuilder(Integer.class, byte[].class,
            ResourcePoolsBuilder.newResourcePoolsBuilder().offheap(budgetBytes >> 20, MemoryUnit.MB))));
  }

  private static OHCache<Integer, byte[]> ohc(long budgetBytes) {
    return OHCacheBuilder.<Integer, byte[]>newBuilder()
        .keySerializer(new IntegerSerializer())
        .valueSerializer(new BytesSerializer())
        .capacity(budgetBytes)
        .eviction(Eviction.LRU)
        .build();
  }

  /** OHC's key serializer: four bytes. */
  static final class IntegerSerializer implements CacheSerializer<Integer> {
    @Override
    public void serialize(Integer value, ByteBuffer buffer) {
      buffer.putInt(value);
    }

    @Override
    public Integer deserialize(ByteBuffer buffer) {
      return buffer.getInt();
    }

    @Override
    public int serializedSize(Integer value) {
      return Integer.BYTES;
    }
  }

  /** OHC's value serializer: the length, then the bytes. */
  static final class BytesSerializer implements CacheSerializer<byte[]> {
    @Override
    public void serialize(byte[] value, ByteBuffer buffer) {
      buffer.putInt(value.length).put(value);
    }

    @Override
    public byte[] deserialize(ByteBuffer buffer) {
      byte[] value = new byte[buffer.getInt()];
      buffer.get(value);
      return value;
    }

    @Override
    public int serializedSize(byte[] value) {
      return Integer.BYTES + value.length;
    }
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
