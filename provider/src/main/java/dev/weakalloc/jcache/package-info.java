/**
 * The weak-alloc JCache provider: {@link dev.weakalloc.jcache.WeakAllocCache} and {@link
 * dev.weakalloc.jcache.WeakAllocCacheManager}. Values live off the heap in a region managed by a
 * weak allocator; keys live on the heap. Sub-packages mirror {@code javax.cache}.
 */
package dev.weakalloc.jcache;
