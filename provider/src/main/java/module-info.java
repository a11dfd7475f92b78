/**
 * A JCache (JSR-107) provider whose values live off the Java heap, in a region managed by a weak
 * allocator: a value is evicted, least recently used first, only when the region has no room.
 *
 * <p>Found by {@code Caching.getCachingProvider()} through {@code provides}; the class path finds
 * it through {@code META-INF/services}. Exported: the cache and manager types, the provider
 * configuration, the SPI class, and the provider's management views. Everything else is internal.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.weakalloc.jcache {
  requires transitive cache.api;
  requires transitive dev.weakalloc.allocator;
  requires transitive java.management;
  requires jdk.management;

  exports dev.weakalloc.jcache;
  exports dev.weakalloc.jcache.configuration;
  exports dev.weakalloc.jcache.management;
  exports dev.weakalloc.jcache.spi;

  provides javax.cache.spi.CachingProvider with
      dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
}
