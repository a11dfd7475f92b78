package dev.weakalloc.jcache.event;

import dev.weakalloc.jcache.internal.Resources;
import java.io.Closeable;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/**
 * One registered listener: its configuration, the listener and filter made from its factories,
 * and, for an asynchronous listener, a serial queue so that it sees events in order.
 *
 * <p>Thread safety: thread-safe. A synchronous listener runs in the thread that changed the
 * cache, after the change; an asynchronous one runs on the executor, one event at a time.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Registration<K, V> {
  private final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<? super K, ? super V> listener;
  private final CacheEntryEventFilter<? super K, ? super V> filter;
  private final Executor executor;
  private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();

  /** Creates the listener and filter from {@code configuration}'s factories. */
  public Registration(CacheEntryListenerConfiguration<K, V> configuration, Executor executor) {
    this.configuration = configuration;
    this.listener = configuration.getCacheEntryListenerFactory().create();
    Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory =
        configuration.getCacheEntryEventFilterFactory();
    this.filter = filterFactory == null ? null : filterFactory.create();
    this.executor = executor;
  }

  /** {@return the configuration this registration was made from} */
  public CacheEntryListenerConfiguration<K, V> configuration() {
    return configuration;
  }

  /** {@return whether the listener handles events of {@code type}} */
  public boolean handles(EventType type) {
    return switch (type) {
      case CREATED -> listener instanceof CacheEntryCreatedListener<?, ?>;
      case UPDATED -> listener instanceof CacheEntryUpdatedListener<?, ?>;
      case REMOVED -> listener instanceof CacheEntryRemovedListener<?, ?>;
      case EXPIRED -> listener instanceof CacheEntryExpiredListener<?, ?>;
    };
  }

  /** {@return whether the listener wants old values} */
  public boolean wantsOldValue() {
    return configuration.isOldValueRequired();
  }

  /** Delivers {@code event} if the filter lets it through: now if synchronous, else queued. */
  public void deliver(EntryEvent<K, V> event) {
    if (configuration.isSynchronous()) {
      if (accepts(event)) {
        invoke(event);
      }
      return;
    }
    pending.add(() -> {
      if (accepts(event)) {
        invoke(event);
      }
    });
    scheduleDrain();
  }

  private boolean accepts(EntryEvent<K, V> event) {
    try {
      return filter == null || filter.evaluate(event);
    } catch (CacheEntryListenerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheEntryListenerException("the listener's filter threw", e);
    }
  }

  @SuppressWarnings("unchecked")
  private void invoke(EntryEvent<K, V> event) {
    List<javax.cache.event.CacheEntryEvent<? extends K, ? extends V>> events = List.of(event);
    try {
      switch (event.getEventType()) {
        case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(events);
        case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(events);
        case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(events);
        case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(events);
      }
    } catch (CacheEntryListenerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheEntryListenerException("the listener threw", e);
    }
  }

  private void scheduleDrain() {
    if (running.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    try {
      Runnable task;
      while ((task = pending.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          System.getLogger(Registration.class.getName())
              .log(System.Logger.Level.WARNING, "an asynchronous cache listener threw", e);
        }
      }
    } finally {
      running.set(false);
      if (!pending.isEmpty()) {
        scheduleDrain();
      }
    }
  }

  /** Closes the listener and filter if they are {@link Closeable}. */
  public void close() {
    Resources.closeQuietly(listener);
    Resources.closeQuietly(filter);
  }
}
