package dev.weakalloc.internal;

/**
 * What an allocator that lays blocks side by side tells its user, so that eviction can plan
 * contiguous room instead of freeing scattered holes: the blocks on either side of any block,
 * whether each is free and how many bytes it takes, the owner id the user attached to an allocated
 * one, and after a free, the free span that now holds the freed block.
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

  /** {@return the block (free or allocated) just before {@code block} in its chunk, or {@link #NONE}} */
  long blockBefore(long block);

  /** {@return the block (free or allocated) just after {@code block} in its chunk, or {@link #NONE}} */
  long blockAfter(long block);

  /** {@return whether {@code block} is free} */
  boolean isFree(long block);

  /** {@return the bytes {@code block} takes, header included} */
  long blockBytes(long block);

  /** Allocates from the start of the free span, which must {@link #fits fit}; returns the address. */
  long allocateIn(long span, long byteSize);
}
