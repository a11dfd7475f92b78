package dev.weakalloc.jcache.configuration;

import dev.weakalloc.Admission;
import dev.weakalloc.Codec;
import java.net.URI;
import java.util.Objects;
import java.util.Properties;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.Duration;

/**
 * A JCache configuration with the provider's own settings: the value {@linkplain #setCodec codec},
 * whether the cache gets a region of its own ({@link #setOwnRegion}) instead of sharing its
 * manager's region, and that region's {@linkplain #setAdmission admission} policy.
 *
 * {@snippet :
 * var config = new WeakAllocConfiguration<String, byte[]>()
 *     .setOwnRegion(64L << 20)                      // 64 MiB for this cache alone
 *     .setTypes(String.class, byte[].class);
 * Cache<String, byte[]> cache = manager.createCache("tiles", config);
 * }
 *
 * <p>A cache may also be the <em>near tier</em> of a cache of another JCache provider (a distributed
 * engine such as Hazelcast): {@link #setBackingCache} names that provider's class, its {@code
 * CacheManager} URI and the cache. Reads are then served from this cache's region and fall back to
 * the backing cache; writes go to the backing cache first; the backing cache's events invalidate
 * the near copies; a near copy is never served more than {@linkplain #setMaxStaleness the maximum
 * staleness} after it was read from the backing cache (provider/README.md, "When one machine is not
 * enough", states the whole promise).
 *
 * {@snippet :
 * var near = new WeakAllocConfiguration<String, String>()
 *     .setBackingCache("com.hazelcast.client.cache.HazelcastClientCachingProvider",
 *         URI.create("classpath:hazelcast-client.yaml"), "prices")
 *     .setMaxStaleness(new Duration(TimeUnit.SECONDS, 5))
 *     .setTypes(String.class, String.class);
 * Cache<String, String> prices = manager.createCache("prices", near);
 * }
 *
 * <p>Thread safety: not thread-safe, like {@link MutableConfiguration}; a cache copies it when
 * created.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class WeakAllocConfiguration<K, V> extends MutableConfiguration<K, V> {
  private static final long serialVersionUID = 1L;

  /** The codec, or null for the built-in codec of the value type. Not serialized. */
  private transient Codec<V> codec;

  /** The capacity of the cache's own region in bytes, or 0 to share the manager's region. */
  private long ownRegionCapacity;

  /** The admission policy of the cache's own region. */
  private Admission admission = Admission.NONE;

  /** The default {@linkplain #setMaxStaleness maximum staleness} of a near copy: 30 seconds. */
  public static final Duration DEFAULT_MAX_STALENESS = new Duration(java.util.concurrent.TimeUnit.SECONDS, 30);

  /** The backing cache's provider class name, or null: the cache is not a near tier. */
  private String backingProvider;

  /** The backing cache's manager URI, or null for its provider's default URI. */
  private URI backingUri;

  /** The backing cache's name, or null. */
  private String backingCache;

  /** The properties given to the backing provider's getCacheManager. Not serialized. */
  private transient Properties backingProperties = new Properties();

  /** How long a near copy may be served after it was read from the backing cache. */
  private Duration maxStaleness = DEFAULT_MAX_STALENESS;

  /** Creates a default configuration: Object keys and values, store-by-value, eternal. */
  public WeakAllocConfiguration() {}

  /** Copies a complete configuration, and the provider settings if it is one of these. */
  public WeakAllocConfiguration(CompleteConfiguration<K, V> configuration) {
    super(configuration);
    if (configuration instanceof WeakAllocConfiguration<K, V> other) {
      this.codec = other.codec;
      this.ownRegionCapacity = other.ownRegionCapacity;
      this.admission = other.admission;
      this.backingProvider = other.backingProvider;
      this.backingUri = other.backingUri;
      this.backingCache = other.backingCache;
      this.backingProperties = copyOf(other.backingProperties);
      this.maxStaleness = other.maxStaleness;
    }
  }

  /** {@return a copy of any configuration: complete ones in full, basic ones' types and storage} */
  public static <K, V> WeakAllocConfiguration<K, V> copyOf(Configuration<K, V> configuration) {
    if (configuration instanceof CompleteConfiguration<K, V> complete) {
      return new WeakAllocConfiguration<>(complete);
    }
    WeakAllocConfiguration<K, V> copy = new WeakAllocConfiguration<>();
    copy.setTypes(configuration.getKeyType(), configuration.getValueType());
    copy.setStoreByValue(configuration.isStoreByValue());
    return copy;
  }

  /** {@return the value codec, or null for the built-in codec of the value type} */
  public Codec<V> getCodec() {
    return codec;
  }

  /** Sets the value codec; null restores the built-in codec of the value type. */
  public WeakAllocConfiguration<K, V> setCodec(Codec<V> codec) {
    this.codec = codec;
    return this;
  }

  /** {@return the capacity of the cache's own region in bytes, or 0 if it shares the manager's} */
  public long getOwnRegionCapacity() {
    return ownRegionCapacity;
  }

  /**
   * Gives the cache a region of its own of {@code capacityBytes}, or 0 to share the manager's
   * region (the default).
   *
   * @throws IllegalArgumentException if capacityBytes is negative
   */
  public WeakAllocConfiguration<K, V> setOwnRegion(long capacityBytes) {
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("region capacity must not be negative: " + capacityBytes);
    }
    this.ownRegionCapacity = capacityBytes;
    return this;
  }

  /** {@return the admission policy of the cache's own region; {@link Admission#NONE} by default} */
  public Admission getAdmission() {
    return admission;
  }

  /**
   * Sets the admission policy of the cache's own region ({@link #setOwnRegion}): with {@link
   * Admission#TINY_LFU}, a put that would have to evict values used more often than its key is
   * counted as a put and an eviction and leaves no entry. A cache that shares its manager's region
   * takes that region's policy ({@code weakalloc.region.admission}); creating it with another
   * policy than {@code NONE} fails with {@link IllegalArgumentException}.
   */
  public WeakAllocConfiguration<K, V> setAdmission(Admission admission) {
    this.admission = Objects.requireNonNull(admission, "admission");
    return this;
  }

  /**
   * Makes the cache the near tier of {@code cacheName}, a cache of another JCache provider, reached
   * through {@code Caching.getCachingProvider(providerClassName, classLoader).getCacheManager(
   * managerUri, classLoader, backingProperties)}. The backing cache is created with the key and
   * value types of this configuration if it does not exist. A near cache may not read or write
   * through (configure its loader and writer on the backing cache), and its expiry is its {@link
   * #setMaxStaleness maximum staleness}: set no expiry policy of its own. The backing provider is
   * reached when the cache is created, which fails with a {@code CacheException} if it cannot be.
   * (A cache that names no backing cache in a manager with the {@code weakalloc.near.} keys is a
   * near cache too, whose loader, writer, expiry and listeners go to its backing cache: see
   * {@link DeclarativeConfiguration}.)
   *
   * @param providerClassName the backing {@code CachingProvider}'s class, for example {@code
   *     com.hazelcast.client.cache.HazelcastClientCachingProvider}
   * @param managerUri the backing {@code CacheManager}'s URI, or null for its provider's default
   * @param cacheName the backing cache's name
   * @throws NullPointerException if providerClassName or cacheName is null
   * @throws IllegalArgumentException if either is blank
   */
  public WeakAllocConfiguration<K, V> setBackingCache(
      String providerClassName, URI managerUri, String cacheName) {
    this.backingProvider = requireText(providerClassName, "the backing provider class");
    this.backingUri = managerUri;
    this.backingCache = requireText(cacheName, "the backing cache name");
    return this;
  }

  private static String requireText(String text, String what) {
    Objects.requireNonNull(text, what);
    if (text.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return text.strip();
  }

  /** {@return whether this cache is the near tier of a backing cache ({@link #setBackingCache})} */
  public boolean isNearCache() {
    return backingProvider != null;
  }

  /** {@return the backing provider's class name, or null if this is not a near cache} */
  public String getBackingProvider() {
    return backingProvider;
  }

  /** {@return the backing manager's URI, or null for the backing provider's default URI} */
  public URI getBackingUri() {
    return backingUri;
  }

  /** {@return the backing cache's name, or null if this is not a near cache} */
  public String getBackingCacheName() {
    return backingCache;
  }

  /** {@return a copy of the properties given to the backing provider's {@code getCacheManager}} */
  public Properties getBackingProperties() {
    return copyOf(backingProperties);
  }

  /**
   * Sets the properties given to the backing provider's {@code getCacheManager} (copied; values
   * may be objects, such as Hazelcast's {@code propertiesByInstanceItself(instance)}). Empty by
   * default.
   */
  public WeakAllocConfiguration<K, V> setBackingProperties(Properties properties) {
    this.backingProperties = copyOf(Objects.requireNonNull(properties, "properties"));
    return this;
  }

  private static Properties copyOf(Properties properties) {
    Properties copy = new Properties();
    if (properties != null) {
      copy.putAll(properties);
    }
    return copy;
  }

  /** {@return how long a near copy may be served after it was read from the backing cache} */
  public Duration getMaxStaleness() {
    return maxStaleness;
  }

  /**
   * Bounds how long a near copy is served after it was read from (or written to) the backing
   * cache: past it, the next read goes to the backing cache. Events from the backing cache usually
   * invalidate a copy much sooner; this bound holds when they are late or lost. {@link
   * Duration#ETERNAL} trusts the events alone. Default: {@link #DEFAULT_MAX_STALENESS}.
   *
   * @throws IllegalArgumentException if {@code maxStaleness} is zero
   */
  public WeakAllocConfiguration<K, V> setMaxStaleness(Duration maxStaleness) {
    Objects.requireNonNull(maxStaleness, "maxStaleness");
    if (maxStaleness.isZero()) {
      throw new IllegalArgumentException("a near cache's maximum staleness must not be zero");
    }
    this.maxStaleness = maxStaleness;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeakAllocConfiguration<?, ?> other
        && super.equals(o)
        && ownRegionCapacity == other.ownRegionCapacity
        && admission == other.admission
        && Objects.equals(codec, other.codec)
        && Objects.equals(backingProvider, other.backingProvider)
        && Objects.equals(backingUri, other.backingUri)
        && Objects.equals(backingCache, other.backingCache)
        && Objects.equals(backingProperties, other.backingProperties)
        && Objects.equals(maxStaleness, other.maxStaleness);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * super.hashCode() + Long.hashCode(ownRegionCapacity))
        + Objects.hash(backingProvider, backingCache);
  }
}
