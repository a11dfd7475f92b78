/** The region, each cache's codec wrapper, key copying and the eviction hand-off. Not exported. */
package dev.weakalloc.jcache.internal;
