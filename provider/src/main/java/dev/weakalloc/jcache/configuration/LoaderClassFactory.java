package dev.weakalloc.jcache.configuration;

import java.io.Serial;
import java.util.Objects;
import javax.cache.CacheException;
import javax.cache.configuration.Factory;

/**
 * A {@link Factory} that makes instances of a class named in a configuration file with the class
 * loader the file was checked with: the manager's. JCache's own {@code FactoryBuilder.ClassFactory}
 * uses the thread's context class loader, which may not see the class the manager's loader found.
 *
 * <p>Thread-safe and immutable. The loader is not serialized: a deserialized factory falls back
 * to the thread's context class loader, as {@code FactoryBuilder.ClassFactory} does. Holds no
 * off-heap memory.
 *
 * @param <T> the type of the instances
 */
final class LoaderClassFactory<T> implements Factory<T> {
  @Serial private static final long serialVersionUID = 1L;

  private final String className;
  private final transient ClassLoader classLoader;

  LoaderClassFactory(String className, ClassLoader classLoader) {
    this.className = Objects.requireNonNull(className, "className");
    this.classLoader = classLoader;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T create() {
    ClassLoader loader = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
    try {
      return (T) Class.forName(className, true, loader).getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new CacheException("cannot instantiate " + className + " with a public no-argument constructor", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LoaderClassFactory<?> other && className.equals(other.className);
  }

  @Override
  public int hashCode() {
    return className.hashCode();
  }

  @Override
  public String toString() {
    return "LoaderClassFactory[" + className + "]";
  }
}
