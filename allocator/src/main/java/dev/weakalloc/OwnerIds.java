package dev.weakalloc;

import dev.weakalloc.internal.GuardedBy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The registry of small integer ids that a {@link WeakAlloc} writes into its blocks' headers, so
 * that eviction planning can go from a block to the value that owns it. Ids are recycled: an id is
 * free again once its value's block is released, or passes with the block to the next value when
 * the block is handed over as it is.
 *
 * <h2>Thread safety</h2>
 * Every method is called under the owning {@code WeakAlloc}'s lock, except {@link
 * #bindHandedOver}: a give that takes a released block without the lock binds the block's id to
 * its new value itself. That thread owns the block (it popped it from the released stacks), so no
 * other thread binds or releases that id meanwhile. The owners live in pages of {@value
 * #PAGE_SIZE} that never move (growing copies only the table of pages), so such a bind is never
 * lost to a concurrent growth; it is a release store, read under the lock with an acquire load. A
 * lock holder may still read the id's previous, removed owner for a moment, which eviction treats
 * as a block it may not take yet. Holds no off-heap memory.
 */
final class OwnerIds {
  private static final int PAGE_SHIFT = 10;
  private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  private static final VarHandle OWNER = MethodHandles.arrayElementVarHandle(WeakRef[].class);
  private static final VarHandle PAGES;

  static {
    try {
      PAGES = MethodHandles.lookup().findVarHandle(OwnerIds.class, "pages", WeakRef[][].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Published with a release store when grown: {@link #bindHandedOver} reads it without the lock. */
  private WeakRef<?>[][] pages = new WeakRef<?>[][] {new WeakRef<?>[PAGE_SIZE]};
  @GuardedBy("WeakAlloc.lock")
  private int[] freeIds = new int[64];
  @GuardedBy("WeakAlloc.lock")
  private int freeIdCount;
  @GuardedBy("WeakAlloc.lock")
  private int nextId;

  /** {@return a new id, not yet bound to a value} */
  int newId() {
    int id = freeIdCount > 0 ? freeIds[--freeIdCount] : nextId++;
    int page = id >>> PAGE_SHIFT;
    if (page == pages.length || pages[page] == null) {
      WeakRef<?>[][] table = page == pages.length ? Arrays.copyOf(pages, pages.length * 2) : pages;
      table[page] = new WeakRef<?>[PAGE_SIZE];
      PAGES.setRelease(this, table);
    }
    return id;
  }

  /** Binds {@code id} to {@code ref}, which takes it. */
  void bind(int id, WeakRef<?> ref) {
    ref.id = id;
    set(id, ref);
  }

  /**
   * Binds the id of a released block to the value that took the block without the lock. Called by
   * the thread that owns the block; see the class notes.
   */
  void bindHandedOver(WeakRef<?> previous, WeakRef<?> ref) {
    ref.id = previous.id;
    set(previous.id, ref);
  }

  /** Unbinds the id of {@code ref} without freeing it: its block, and the id, go to a new value. */
  int unbindForHandOver(WeakRef<?> ref) {
    set(ref.id, null);
    return ref.id;
  }

  /** Unbinds and recycles the id of {@code ref}, whose block was released. */
  void release(WeakRef<?> ref) {
    set(ref.id, null);
    if (freeIdCount == freeIds.length) {
      freeIds = Arrays.copyOf(freeIds, freeIds.length * 2);
    }
    freeIds[freeIdCount++] = ref.id;
  }

  /** {@return the value bound to {@code id}, or null if none (or the id is out of range)} */
  WeakRef<?> owner(int id) {
    if (id < 0 || id >= nextId) {
      return null;
    }
    return (WeakRef<?>) OWNER.getAcquire(pages[id >>> PAGE_SHIFT], id & (PAGE_SIZE - 1));
  }

  private void set(int id, WeakRef<?> ref) {
    WeakRef<?>[][] table = (WeakRef<?>[][]) PAGES.getAcquire(this);
    OWNER.setRelease(table[id >>> PAGE_SHIFT], id & (PAGE_SIZE - 1), ref);
  }
}
