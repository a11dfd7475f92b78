package dev.weakalloc;

import java.util.Arrays;

/**
 * The registry of small integer ids that a {@link WeakAlloc} writes into its blocks' headers, so
 * that eviction planning can go from a block to the value that owns it. Ids are recycled: an id is
 * free again once its value's block is released, or passes with the block to the next value when
 * the block is handed over as it is.
 *
 * <p>Not thread-safe: every method is called under the owning {@code WeakAlloc}'s lock. It holds
 * no off-heap memory.
 */
final class OwnerIds {
  private WeakRef<?>[] owners = new WeakRef<?>[64];
  private int[] freeIds = new int[64];
  private int freeIdCount;
  private int nextId;

  /** {@return a new id, not yet bound to a value} */
  int newId() {
    int id = freeIdCount > 0 ? freeIds[--freeIdCount] : nextId++;
    if (id >= owners.length) {
      owners = Arrays.copyOf(owners, owners.length * 2);
    }
    return id;
  }

  /** Binds {@code id} to {@code ref}, which takes it. */
  void bind(int id, WeakRef<?> ref) {
    owners[id] = ref;
    ref.id = id;
  }

  /** Unbinds the id of {@code ref} without freeing it: its block, and the id, go to a new value. */
  int unbindForHandOver(WeakRef<?> ref) {
    owners[ref.id] = null;
    return ref.id;
  }

  /** Unbinds and recycles the id of {@code ref}, whose block was released. */
  void release(WeakRef<?> ref) {
    owners[ref.id] = null;
    if (freeIdCount == freeIds.length) {
      freeIds = Arrays.copyOf(freeIds, freeIds.length * 2);
    }
    freeIds[freeIdCount++] = ref.id;
  }

  /** {@return the value bound to {@code id}, or null if none (or the id is out of range)} */
  WeakRef<?> owner(int id) {
    return id >= 0 && id < owners.length ? owners[id] : null;
  }
}
