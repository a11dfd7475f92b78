package dev.weakalloc.jcache.internal;

import java.io.Closeable;
import java.io.IOException;

/**
 * Closes what a cache was handed (loaders, writers, expiry policies, listeners, filters) when it
 * closes, as JCache asks for those that are {@link Closeable}. Stateless; thread-safe.
 */
public final class Resources {
  private static final System.Logger LOG = System.getLogger(Resources.class.getName());

  private Resources() {}

  /** Closes {@code resource} if it is {@link Closeable}; a failure is logged, never thrown. */
  public static void closeQuietly(Object resource) {
    if (resource instanceof Closeable closeable) {
      try {
        closeable.close();
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "closing " + resource + " failed", e);
      }
    }
  }
}
