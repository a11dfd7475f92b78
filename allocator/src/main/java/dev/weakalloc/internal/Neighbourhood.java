package dev.weakalloc.internal;

/**
 * What an allocator that lays blocks side by side tells its user, so that eviction can free
 * contiguous room instead of scattered holes: after a free, the free span that now holds the freed
 * block, and the allocated blocks on either side of it, each with the owner id the user attached.
 *
 * <p>Not thread-safe; called under the same lock as the allocator.
 */
public interface Neighbourhood {
  /** No block. */
  long NONE = -1L;

  /** Attaches {@code owner} to the allocated block at {@code address}. */
  void setOwner(long address, int owner);

  /** {@return the owner attached to the allocated block at {@code address}} */
  int owner(long address);

  /** {@return the free span the most recent {@code free} produced or merged into} */
  long lastFreedSpan();

  /** {@return whether a payload of {@code byteSize} bytes fits in the free span} */
  boolean fits(long span, long byteSize);

  /** {@return the allocated block just before the free span, or {@link #NONE}} */
  long blockBefore(long span);

  /** {@return the allocated block just after the free span, or {@link #NONE}} */
  long blockAfter(long span);

  /** Allocates from the start of the free span, which must {@link #fits fit}; returns the address. */
  long allocateIn(long span, long byteSize);
}
