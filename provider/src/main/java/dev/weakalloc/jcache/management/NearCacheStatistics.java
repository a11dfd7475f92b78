package dev.weakalloc.jcache.management;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counts of a near cache's tier (a cache that fronts a cache of another JCache provider):
 * near hits and misses, near copies invalidated by cause, and the calls made to the backing cache
 * with their time. Always on, never cleared; the Micrometer binder reads them as {@code
 * weakalloc.near.*} meters.
 *
 * <p>Thread safety: thread-safe; recording takes no lock (one {@link LongAdder} per count). Reads
 * are not atomic across counters. Holds no off-heap memory.
 */
public final class NearCacheStatistics {
  /** Why a near copy was dropped. */
  public enum Cause {
    /** The backing cache announced that the key was created (it had been removed meanwhile). */
    CREATED,
    /** The backing cache announced that the key's value changed. */
    UPDATED,
    /** The backing cache announced that the key was removed. */
    REMOVED,
    /** The backing cache announced that the key expired. */
    EXPIRED,
    /** A write through this near cache that does not store its result near (all but put). */
    WRITE,
    /** The event listener was lost (the backing cache failed or closed): every copy dropped. */
    LISTENER_LOST
  }

  /** A kind of backing-cache call. */
  public enum BackingCall {
    /** get, getAll, containsKey, iterator. */
    READ,
    /** Every write, invoke and clear. */
    WRITE
  }

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder[] invalidations = adders(Cause.values().length);
  private final LongAdder[] calls = adders(BackingCall.values().length);
  private final LongAdder[] callNanos = adders(BackingCall.values().length);
  private final LongAdder failures = new LongAdder();

  /** Creates statistics, all zero. */
  public NearCacheStatistics() {}

  private static LongAdder[] adders(int n) {
    LongAdder[] adders = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  /** Counts a read served from the region. */
  public void recordHit() {
    hits.increment();
  }

  /** Counts {@code n} reads that had to ask the backing cache. */
  public void recordMisses(int n) {
    misses.add(n);
  }

  /** Counts {@code n} near copies dropped for {@code cause} (copies not held are counted too). */
  public void recordInvalidations(Cause cause, int n) {
    invalidations[cause.ordinal()].add(n);
  }

  /** Counts one backing call of {@code nanos}, failed or not. */
  public void recordCall(BackingCall call, long nanos, boolean failed) {
    calls[call.ordinal()].increment();
    callNanos[call.ordinal()].add(nanos);
    if (failed) {
      failures.increment();
    }
  }

  /** {@return the reads served from the region} */
  public long hitCount() {
    return hits.sum();
  }

  /** {@return the reads (per key) that asked the backing cache} */
  public long missCount() {
    return misses.sum();
  }

  /**
   * {@return the invalidations for {@code cause}} An event counts whether or not the key was held
   * near; {@link Cause#LISTENER_LOST} counts the clears, not the copies.
   */
  public long invalidationCount(Cause cause) {
    return invalidations[cause.ordinal()].sum();
  }

  /** {@return the calls of one kind made to the backing cache} */
  public long backingCallCount(BackingCall call) {
    return calls[call.ordinal()].sum();
  }

  /** {@return the nanoseconds spent in calls of one kind to the backing cache} */
  public long backingCallNanos(BackingCall call) {
    return callNanos[call.ordinal()].sum();
  }

  /** {@return the backing calls that threw} */
  public long backingFailureCount() {
    return failures.sum();
  }
}
