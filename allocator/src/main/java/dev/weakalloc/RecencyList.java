package dev.weakalloc;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The recency order of allocated blocks: a doubly linked list of {@link WeakRef}s, least recently
 * used at the head. Not thread-safe: every method is called under the owning {@link WeakAlloc}'s
 * lock.
 *
 * <h2>Implementation notes</h2>
 * The links are {@code int}s, not references: each value in the order takes a slot (its {@code
 * recencySlot}) for as long as it stays there, and the slots' previous and next slots live side by
 * side in one {@code int} array ({@code links[2 * slot]} and {@code links[2 * slot + 1]}, so that
 * unlinking a slot reads one cache line for both), beside a table of the slots' values. Moving a value to the recent end, which
 * every recorded hit does, then stores only {@code int}s. With reference links it stored up to five
 * references into handles spread over the old generation, and each such store dirties a card that
 * the next young pause scans: with 4 M values of 1 KiB cached, young pauses took 25 times those of
 * an empty cache (issue 13). The table of values is written once when a value enters and cleared
 * when it leaves; clearing stores null, which dirties no card.
 *
 * <p>Memory: the arrays grow by doubling to the peak number of values listed at once and never
 * shrink (freed slots are reused first): about 16 B per slot (a reference and three {@code int}s,
 * the free-slot stack's included), up to twice that just after a doubling. They are heap memory of
 * the owning allocator.
 */
final class RecencyList {
  private static final int NIL = -1;
  private static final int INITIAL_SLOTS = 64;

  private WeakRef<?>[] refs = new WeakRef<?>[INITIAL_SLOTS];
  /** A slot's previous slot at {@code 2 * slot}, its next at {@code 2 * slot + 1}. */
  private int[] links = new int[2 * INITIAL_SLOTS];
  private int[] freeSlots = new int[INITIAL_SLOTS];
  private int freeSlotCount;
  private int slotsUsed;
  private int head = NIL;
  private int tail = NIL;
  private long size;

  void addLast(WeakRef<?> ref) {
    assert ref.recencySlot == NIL : "already listed";
    int slot = newSlot();
    refs[slot] = ref;
    ref.recencySlot = slot;
    link(slot);
    size++;
  }

  void remove(WeakRef<?> ref) {
    int slot = ref.recencySlot;
    unlink(slot);
    refs[slot] = null;
    ref.recencySlot = NIL;
    if (freeSlotCount == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
    }
    freeSlots[freeSlotCount++] = slot;
    size--;
  }

  void moveToLast(WeakRef<?> ref) {
    int slot = ref.recencySlot;
    if (slot != tail) {
      unlink(slot);
      link(slot);
    }
  }

  /**
   * Reads what unlinking {@code ref} will read: its slot's links and its neighbours' links. A
   * drain calls it for a whole batch before it unlinks any of them, so that the batch's cache
   * misses overlap instead of each unlink waiting for its own (group prefetching; Java has no
   * prefetch instruction, so the loads are real and their result is returned for the caller to
   * keep, lest the compiler drop them). Changes nothing.
   *
   * @return a value of no meaning, derived from every load
   */
  int touch(WeakRef<?> ref) {
    int slot = ref.recencySlot;
    if (slot == NIL) {
      return 0;
    }
    int prev = links[2 * slot];
    int next = links[2 * slot + 1];
    int seen = prev ^ next;
    if (prev != NIL) {
      seen += links[2 * prev + 1];
    }
    if (next != NIL) {
      seen += links[2 * next];
    }
    return seen;
  }

  /** {@return the least recently used block, or null; walk on with {@link #next}} */
  WeakRef<?> first() {
    return head == NIL ? null : refs[head];
  }

  /** {@return the block after {@code ref} in the order, or null if it is the last or not in it} */
  WeakRef<?> next(WeakRef<?> ref) {
    int slot = ref.recencySlot;
    return slot == NIL || links[2 * slot + 1] == NIL ? null : refs[links[2 * slot + 1]];
  }

  boolean contains(WeakRef<?> ref) {
    return ref.recencySlot != NIL;
  }

  /**
   * Removes the block least recently used that can be evicted (unpinned and present), marking it
   * removed. Pinned blocks met on the way are in use, so they move to the recent end.
   *
   * @return the evicted block, in the order no more, or null if every block is pinned or removed
   */
  WeakRef<?> pollEvictable() {
    long budget = size;
    WeakRef<?> ref = first();
    while (ref != null && budget-- > 0) {
      WeakRef<?> next = next(ref);
      if (ref.tryRetireUnpinned()) {
        remove(ref);
        return ref;
      }
      moveToLast(ref);
      ref = next;
    }
    return null;
  }

  /** Applies {@code action} to each block, head first; the action may remove the block it is given. */
  void forEach(Consumer<WeakRef<?>> action) {
    WeakRef<?> ref = first();
    while (ref != null) {
      WeakRef<?> next = next(ref);
      action.accept(ref);
      ref = next;
    }
  }

  long size() {
    return size;
  }

  private int newSlot() {
    if (freeSlotCount > 0) {
      return freeSlots[--freeSlotCount];
    }
    if (slotsUsed == refs.length) {
      int grown = refs.length * 2;
      refs = Arrays.copyOf(refs, grown);
      links = Arrays.copyOf(links, 2 * grown);
    }
    return slotsUsed++;
  }

  /** Links {@code slot} at the tail. */
  private void link(int slot) {
    links[2 * slot] = tail;
    links[2 * slot + 1] = NIL;
    if (tail == NIL) {
      head = slot;
    } else {
      links[2 * tail + 1] = slot;
    }
    tail = slot;
  }

  private void unlink(int slot) {
    int prev = links[2 * slot];
    int next = links[2 * slot + 1];
    if (prev == NIL) {
      head = next;
    } else {
      links[2 * prev + 1] = next;
    }
    if (next == NIL) {
      tail = prev;
    } else {
      links[2 * next] = prev;
    }
  }
}
