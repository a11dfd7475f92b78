package dev.weakalloc.jcache.internal;

import dev.weakalloc.WeakRef;

/**
 * One mapping of a cache: the on-heap key, the handle of its off-heap value, and its expiry time.
 * It is also the tag of the value's {@link WeakRef}, so that the region's eviction listener knows
 * which cache and key lost their value.
 *
 * <p>Thread safety: the key, owner and ref are fixed once the entry is published (through the
 * cache's map); {@link #expireAt} is volatile and updated racily on access, where the last writer
 * wins, as in any cache with access expiry.
 *
 * <p>Memory: the entry owns nothing off-heap itself; the value's block belongs to the region's
 * {@code WeakAlloc}, and the cache frees it when the mapping is replaced or removed.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class StoredEntry<K, V> {
  /** The expiry time of an entry that never expires. */
  public static final long ETERNAL = Long.MAX_VALUE;

  private final K key;
  private final EvictionSink owner;
  private WeakRef<V> ref;
  private volatile long expireAt;

  /** Creates an entry whose value handle is {@linkplain #bind bound} right after. */
  public StoredEntry(K key, EvictionSink owner) {
    this.key = key;
    this.owner = owner;
  }

  /** Binds the value handle; called once, before the entry is published. */
  public void bind(WeakRef<V> ref, long expireAt) {
    this.ref = ref;
    this.expireAt = expireAt;
  }

  /** {@return the stored (copied) key} */
  public K key() {
    return key;
  }

  /** {@return the cache that owns this entry} */
  public EvictionSink owner() {
    return owner;
  }

  /** {@return the handle of the off-heap value} */
  public WeakRef<V> ref() {
    return ref;
  }

  /** {@return the expiry time in ticker nanoseconds, or {@link #ETERNAL}} */
  public long expireAt() {
    return expireAt;
  }

  /** Sets the expiry time. Benign race: concurrent accesses may overwrite each other. */
  public void setExpireAt(long expireAt) {
    this.expireAt = expireAt;
  }

  /** {@return whether the entry has expired at {@code now}} */
  public boolean isExpired(long now) {
    return expireAt <= now;
  }

  @Override
  public String toString() {
    return "StoredEntry[" + key + ", " + ref + "]";
  }
}
