package dev.weakalloc.jcache.spi;

import dev.weakalloc.jcache.WeakAllocCacheManager;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The weak-alloc JCache {@link CachingProvider}: one {@link WeakAllocCacheManager} per URI and
 * class loader. Found by {@code Caching.getCachingProvider()} through {@code META-INF/services} or
 * the module's {@code provides}.
 *
 * <p>Store-by-reference is not supported ({@link #isSupported} says so, and creating a cache that
 * asks for it throws {@link UnsupportedOperationException}): values live off the heap, so the
 * cache could only keep a reference by keeping the value on the heap too, outside the region's
 * budget, which is what this provider exists to avoid.
 *
 * <p>Thread safety: thread-safe; the registry of managers is guarded by the provider. Managers of
 * a class loader are held weakly through it.
 */
public final class WeakAllocCachingProvider implements CachingProvider {
  private static final URI DEFAULT_URI = URI.create(WeakAllocCachingProvider.class.getName());

  // Guarded by this.
  private final Map<ClassLoader, Map<URI, WeakAllocCacheManager>> managers = new WeakHashMap<>();

  /** Creates the provider; {@code Caching} does this through the service loader. */
  public WeakAllocCachingProvider() {}

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties props = properties == null ? new Properties() : properties;
    synchronized (this) {
      Map<URI, WeakAllocCacheManager> byUri = managers.computeIfAbsent(loader, l -> new HashMap<>());
      WeakAllocCacheManager manager = byUri.get(managerUri);
      if (manager == null || manager.isClosed()) {
        manager = new WeakAllocCacheManager(this, managerUri, loader, props);
        byUri.put(managerUri, manager);
      }
      return manager;
    }
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return loader != null ? loader : WeakAllocCachingProvider.class.getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return DEFAULT_URI;
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  /** Forgets a manager that closed itself. */
  public synchronized void release(WeakAllocCacheManager manager) {
    Map<URI, WeakAllocCacheManager> byUri = managers.get(manager.getClassLoader());
    if (byUri != null && byUri.get(manager.getURI()) == manager) {
      byUri.remove(manager.getURI());
      if (byUri.isEmpty()) {
        managers.remove(manager.getClassLoader());
      }
    }
  }

  @Override
  public void close() {
    List<WeakAllocCacheManager> all = new ArrayList<>();
    synchronized (this) {
      managers.values().forEach(byUri -> all.addAll(byUri.values()));
      managers.clear();
    }
    all.forEach(WeakAllocCacheManager::close);
  }

  @Override
  public void close(ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    List<WeakAllocCacheManager> all;
    synchronized (this) {
      Map<URI, WeakAllocCacheManager> byUri = managers.remove(loader);
      all = byUri == null ? List.of() : new ArrayList<>(byUri.values());
    }
    all.forEach(WeakAllocCacheManager::close);
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    WeakAllocCacheManager manager;
    synchronized (this) {
      Map<URI, WeakAllocCacheManager> byUri = managers.get(loader);
      manager = byUri == null ? null : byUri.remove(managerUri);
    }
    if (manager != null) {
      manager.close();
    }
  }

  @Override
  public boolean isSupported(OptionalFeature optionalFeature) {
    java.util.Objects.requireNonNull(optionalFeature, "optionalFeature");
    return false; // STORE_BY_REFERENCE, the only optional feature, is not supported
  }

  @Override
  public String toString() {
    return "WeakAllocCachingProvider";
  }
}
