package dev.weakalloc.jcache.internal;

/**
 * Tracks whether the current thread is inside one of the provider's map computations, so that
 * work which mutates maps (draining region evictions) is never started from inside one: a
 * {@code ConcurrentHashMap} must not be modified from within its own {@code compute}.
 *
 * <p>Thread safety: per thread, through a {@link ThreadLocal}.
 */
public final class ComputeGuard {
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private ComputeGuard() {}

  /** Marks the start of a computation; pair with {@link #exit}. */
  public static int[] enter() {
    int[] depth = DEPTH.get();
    depth[0]++;
    return depth;
  }

  /** Marks the end of the computation started by {@link #enter}. */
  public static void exit(int[] depth) {
    depth[0]--;
  }

  /** {@return whether the current thread is inside a computation} */
  public static boolean inside() {
    return DEPTH.get()[0] != 0;
  }
}
