package dev.weakalloc.jcache.configuration;

import dev.weakalloc.Admission;
import dev.weakalloc.Codec;
import java.util.Objects;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;

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

  /** Creates a default configuration: Object keys and values, store-by-value, eternal. */
  public WeakAllocConfiguration() {}

  /** Copies a complete configuration, and the provider settings if it is one of these. */
  public WeakAllocConfiguration(CompleteConfiguration<K, V> configuration) {
    super(configuration);
    if (configuration instanceof WeakAllocConfiguration<K, V> other) {
      this.codec = other.codec;
      this.ownRegionCapacity = other.ownRegionCapacity;
      this.admission = other.admission;
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

  @Override
  public boolean equals(Object o) {
    return o instanceof WeakAllocConfiguration<?, ?> other
        && super.equals(o)
        && ownRegionCapacity == other.ownRegionCapacity
        && admission == other.admission
        && Objects.equals(codec, other.codec);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Long.hashCode(ownRegionCapacity);
  }
}
