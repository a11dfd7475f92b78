package dev.weakalloc;

/**
 * Told of each value a {@link WeakAlloc} evicts to make room, and of each value its {@link
 * Admission} policy refused (a handle that was gone from the start, as if evicted at once).
 *
 * <p>Called in the thread whose allocation caused the eviction, after the allocator's lock is
 * released, once per evicted value. It must be quick and must not throw; an exception it throws is
 * logged and otherwise ignored. It is not called for {@link WeakAlloc#free} or {@link
 * WeakAlloc#clear}.
 */
@FunctionalInterface
public interface EvictionListener {
  /**
   * Called after {@code evicted} was evicted; its {@link WeakRef#tag()} and {@link
   * WeakRef#byteSize()} are still readable, and it can no longer be upgraded.
   */
  void onEviction(WeakRef<?> evicted);
}
