package dev.weakalloc.jcache.internal;

import dev.weakalloc.Codec;
import dev.weakalloc.CodecException;
import dev.weakalloc.Codecs;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.temporal.TemporalAccessor;
import java.util.Set;
import java.util.UUID;
import javax.cache.CacheException;

/**
 * Copies keys for store-by-value caches: immutable JDK types (strings, boxed primitives, enums,
 * big numbers, {@code UUID}, {@code URI}, {@code java.time} values) are returned as they are,
 * anything else serializable goes through a Java-serialization round trip on the heap. A key that
 * is not serializable is kept as it is: it must not be mutated while cached.
 *
 * <p>Thread safety: immutable and thread-safe.
 */
public final class KeyCopier {
  private static final Set<Class<?>> IMMUTABLE =
      Set.of(
          String.class, Long.class, Integer.class, Short.class, Byte.class, Character.class,
          Boolean.class, Float.class, Double.class, BigInteger.class, BigDecimal.class,
          UUID.class, URI.class, Class.class);

  /**
   * Whether keys of a class are returned as they are: decided once per class, so that the put of
   * an {@code Integer} or {@code String} key costs one {@link ClassValue} lookup, not a set probe
   * and the type tests.
   */
  private static final ClassValue<Boolean> KEPT_AS_IS =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          return isImmutable(type) || !Serializable.class.isAssignableFrom(type);
        }
      };

  private final Codec<Object> codec;

  /** Creates a copier that resolves classes through {@code classLoader}. */
  public KeyCopier(ClassLoader classLoader) {
    this.codec = Codecs.serializable(classLoader);
  }

  /** {@return a copy of {@code key} that the caller cannot mutate through {@code key}} */
  @SuppressWarnings("unchecked")
  public <K> K copy(K key) {
    if (KEPT_AS_IS.get(key.getClass())) {
      return key;
    }
    try {
      Codec.Encoding encoding = codec.encode(key);
      MemorySegment bytes = MemorySegment.ofArray(new byte[Math.toIntExact(encoding.byteSize())]);
      encoding.writeTo(bytes);
      return (K) codec.decode(bytes);
    } catch (CodecException e) {
      throw new CacheException("cannot copy the key " + key + " by serialization", e);
    }
  }

  private static boolean isImmutable(Class<?> type) {
    return IMMUTABLE.contains(type)
        || type.isEnum()
        || Enum.class.isAssignableFrom(type)
        || (TemporalAccessor.class.isAssignableFrom(type) && type.getName().startsWith("java.time."));
  }
}
