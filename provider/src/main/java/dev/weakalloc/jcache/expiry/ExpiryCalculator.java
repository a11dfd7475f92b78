package dev.weakalloc.jcache.expiry;

import java.lang.System.Logger.Level;
import java.util.function.Supplier;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;

/**
 * Turns a JCache {@link ExpiryPolicy} into expiry times in ticker nanoseconds.
 *
 * <p>A policy that throws, or returns null where the spec allows it, leaves the expiry time as it
 * was (for creation: never expires); the exception is logged. The standard policies that never
 * change the time on access are recognised, so that a hit on such a cache calls no policy and
 * reads no clock.
 *
 * <p>Thread safety: thread-safe if the policy is, as the spec requires.
 */
public final class ExpiryCalculator {
  /** The expiry time of an entry that never expires. */
  public static final long ETERNAL = Long.MAX_VALUE;

  /** Returned by {@link #onAccess} and {@link #onUpdate} to leave the expiry time unchanged. */
  public static final long UNCHANGED = Long.MIN_VALUE;

  private static final System.Logger LOG = System.getLogger(ExpiryCalculator.class.getName());

  private final ExpiryPolicy policy;
  private final boolean accessMatters;

  /** Creates a calculator over {@code policy}. */
  public ExpiryCalculator(ExpiryPolicy policy) {
    this.policy = policy;
    // Exact classes: a subclass may override getExpiryForAccess.
    Class<?> type = policy.getClass();
    this.accessMatters =
        !(type == EternalExpiryPolicy.class
            || type == CreatedExpiryPolicy.class
            || type == ModifiedExpiryPolicy.class);
  }

  /** {@return the policy} */
  public ExpiryPolicy policy() {
    return policy;
  }

  /** {@return whether a read may change the expiry time (else hits need not call the policy)} */
  public boolean accessMatters() {
    return accessMatters;
  }

  /** {@return the expiry time of an entry created at {@code now}; at most now if already expired} */
  public long onCreate(long now) {
    long at = expireAt(policy::getExpiryForCreation, now);
    return at == UNCHANGED ? ETERNAL : at;
  }

  /** {@return the expiry time after a read at {@code now}, or {@link #UNCHANGED}} */
  public long onAccess(long now) {
    return expireAt(policy::getExpiryForAccess, now);
  }

  /** {@return the expiry time after an update at {@code now}, or {@link #UNCHANGED}} */
  public long onUpdate(long now) {
    return expireAt(policy::getExpiryForUpdate, now);
  }

  private static long expireAt(Supplier<Duration> duration, long now) {
    Duration d;
    try {
      d = duration.get();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the expiry policy threw; the expiry time is left unchanged", e);
      return UNCHANGED;
    }
    if (d == null) {
      return UNCHANGED;
    }
    if (d.isEternal()) {
      return ETERNAL;
    }
    if (d.isZero()) {
      return now;
    }
    long nanos = d.getTimeUnit().toNanos(d.getDurationAmount());
    return nanos >= ETERNAL - now ? ETERNAL - 1 : now + nanos;
  }
}
