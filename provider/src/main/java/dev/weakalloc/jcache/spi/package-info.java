/** The {@link javax.cache.spi.CachingProvider}. */
package dev.weakalloc.jcache.spi;
