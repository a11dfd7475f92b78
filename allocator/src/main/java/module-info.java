/**
 * The weak allocator: values given to a {@link dev.weakalloc.WeakAlloc} live off the Java heap
 * and are evicted, least recently used first, only when the allocator has no room.
 *
 * <p>Only {@code dev.weakalloc} is exported. The opt-in system allocator makes FFM downcalls and
 * needs {@code --enable-native-access=dev.weakalloc.allocator}; the default region allocator needs
 * no flag.
 */
module dev.weakalloc.allocator {
  exports dev.weakalloc;
}
