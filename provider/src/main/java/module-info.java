/**
 * A JCache (JSR-107) provider whose values live off the Java heap, in a region managed by a weak
 * allocator: a value is evicted, least recently used first, only when the region has no room.
 *
 * <p>Found by {@code Caching.getCachingProvider()} through {@code provides}; the class path finds
 * it through {@code META-INF/services}. Exported: the cache and manager types, the provider
 * configuration, the SPI class, the provider's management views, and the Micrometer binders
 * ({@code dev.weakalloc.jcache.metrics}, which need Micrometer on the class or module path; nothing
 * else does). Everything else is internal.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.weakalloc.jcache {
  requires transitive cache.api;
  requires transitive dev.weakalloc.allocator;
  requires transitive java.management;
  requires jdk.management;
  // Optional: only the metrics package uses Micrometer, and nothing loads it unless asked to. Not
  // transitive, so that a module that requires this one compiles without Micrometer; a module
  // that uses the binders requires micrometer.core itself (the binders silence javac's "exports").
  requires static micrometer.core;

  exports dev.weakalloc.jcache;
  exports dev.weakalloc.jcache.configuration;
  exports dev.weakalloc.jcache.management;
  exports dev.weakalloc.jcache.metrics;
  exports dev.weakalloc.jcache.spi;

  provides javax.cache.spi.CachingProvider with
      dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
}
