/** The region, stored entries, key copying and the eviction hand-off. Not exported. */
package dev.weakalloc.jcache.internal;
