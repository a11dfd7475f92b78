/**
 * The seed's example, a cache of decompressed Minecraft region files, and the demo that measures
 * it: {@link dev.weakalloc.samples.region.RegionFileDemo}.
 *
 * <h2>On the JCache API</h2>
 * {@link dev.weakalloc.samples.region.RegionCache} keeps each file decompressed in a standard
 * {@code javax.cache.Cache} of the weak-alloc provider, whose region's capacity is the budget
 * ({@link dev.weakalloc.samples.region.RegionCaches#open(long)}).
 *
 * <h2>On the raw allocator API</h2>
 * {@link dev.weakalloc.samples.region.RawRegionCache} is the seed crate's example almost line for
 * line: a map of {@code WeakRef}s, upgraded on a hit, given to the {@code WeakAlloc} on a miss.
 *
 * {@snippet class=dev.weakalloc.samples.region.RawRegionCache region=get-uncompressed-file}
 */
package dev.weakalloc.samples.region;
