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

  private final Codec<Object> codec;

  /** Creates a copier that resolves classes through {@code classLoader}. */
  public KeyCopier(ClassLoader classLoader) {
    this.codec = Codecs.serializable(classLoader);
  }

  /** {@return a copy of {@code key} that the caller cannot mutate through {@code key}} */
  @SuppressWarnings("unchecked")
  public <K> K copy(K key) {
    if (isImmutable(key) || !(key instanceof Serializable)) {
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

  private static boolean isImmutable(Object key) {
    Class<?> type = key.getClass();
    return IMMUTABLE.contains(type)
        || type.isEnum()
        || key instanceof Enum<?>
        || (key instanceof TemporalAccessor && type.getName().startsWith("java.time."));
  }
}
