/** Read-through and write-through: the cache's view of its {@code CacheLoader} and {@code CacheWriter}. Internal. */
package dev.weakalloc.jcache.integration;
