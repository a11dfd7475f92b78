package dev.weakalloc;

/**
 * Reads a value's bytes in place during a {@linkplain WeakRef#readIfPresent scoped read} and
 * returns what it makes of them.
 *
 * <h2>Thread safety</h2>
 * Called on the thread that called {@link WeakRef#readIfPresent}, once per successful read. An
 * implementation shared between threads must be thread-safe (a stateless lambda is).
 *
 * <h2>Memory ownership</h2>
 * The {@link ByteView} passed to {@link #read} borrows the allocator's memory for the duration of
 * the call only: the value is pinned until {@code read} returns or throws, and then the view is
 * closed, so that every later access through it throws {@link IllegalStateException}. Return a
 * result made from the bytes (a copy, a decoded object, a checksum), never the view.
 *
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface ByteReader<R> {

  /**
   * {@return what the caller of {@link WeakRef#readIfPresent} gets back}
   *
   * @param bytes a read-only view of the value's bytes, valid until this method returns or throws
   */
  R read(ByteView bytes);
}
