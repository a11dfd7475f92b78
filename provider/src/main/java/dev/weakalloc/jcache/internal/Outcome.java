package dev.weakalloc.jcache.internal;

import dev.weakalloc.WeakRef;

/**
 * What a map computation did, recorded inside it and acted on (events, statistics) after it, in
 * the calling thread. One per operation.
 *
 * <p>Thread safety: confined to the operation's thread.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Outcome<K, V> {
  /** A live mapping was found. */
  public boolean hit;
  /** A value was stored. */
  public boolean stored;
  /** The stored value replaced a live one. */
  public boolean updated;
  /** A live mapping was removed. */
  public boolean removed;
  /** The previous live value, decoded when someone needed it. */
  public V oldValue;
  /** An expired mapping met during the computation, to announce. */
  public K expiredKey;
  /** Its value, decoded when an expiry listener wanted it. */
  public V expiredValue;
  /** Whether {@link #expiredKey} is set. */
  public boolean expired;
  /**
   * The handle of the value a store replaced, freed after the computation: until the map holds
   * the new entry, a reader of the old one must still find its value.
   */
  public WeakRef<V> replaced;
}
