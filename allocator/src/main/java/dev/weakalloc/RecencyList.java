package dev.weakalloc;

import java.util.function.Consumer;

/**
 * The recency order of allocated blocks: an intrusive doubly linked list of {@link WeakRef}s,
 * least recently used at the head. Not thread-safe: every method is called under the owning
 * {@link WeakAlloc}'s lock.
 */
final class RecencyList {
  private WeakRef<?> head;
  private WeakRef<?> tail;
  private long size;

  void addLast(WeakRef<?> ref) {
    ref.prev = tail;
    ref.next = null;
    if (tail == null) {
      head = ref;
    } else {
      tail.next = ref;
    }
    tail = ref;
    size++;
  }

  void remove(WeakRef<?> ref) {
    if (ref.prev == null) {
      head = ref.next;
    } else {
      ref.prev.next = ref.next;
    }
    if (ref.next == null) {
      tail = ref.prev;
    } else {
      ref.next.prev = ref.prev;
    }
    ref.prev = null;
    ref.next = null;
    size--;
  }

  void moveToLast(WeakRef<?> ref) {
    if (ref != tail) {
      remove(ref);
      addLast(ref);
    }
  }

  /** {@return the least recently used block, or null; walk on through {@code WeakRef.next}} */
  WeakRef<?> first() {
    return head;
  }

  boolean contains(WeakRef<?> ref) {
    return ref.prev != null || ref == head;
  }

  /**
   * Removes the block least recently used that can be evicted (unpinned and present), marking it
   * removed. Pinned blocks met on the way are in use, so they move to the recent end.
   *
   * @return the evicted block, still linked to nothing, or null if every block is pinned or removed
   */
  WeakRef<?> pollEvictable() {
    long budget = size;
    WeakRef<?> ref = head;
    while (ref != null && budget-- > 0) {
      WeakRef<?> next = ref.next;
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
    WeakRef<?> ref = head;
    while (ref != null) {
      WeakRef<?> next = ref.next;
      action.accept(ref);
      ref = next;
    }
  }

  long size() {
    return size;
  }
}
