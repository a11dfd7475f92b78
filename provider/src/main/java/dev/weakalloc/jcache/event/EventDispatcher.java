package dev.weakalloc.jcache.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.EventType;

/**
 * The listeners of one cache and the delivery of its events. The cache publishes an event after
 * the change it describes, outside any map computation; {@link #wants} and {@link #wantsOldValue}
 * let it skip building events (and decoding values) nobody listens to.
 *
 * <p>Thread safety: thread-safe; registrations are copy-on-write.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EventDispatcher<K, V> {
  private final Cache<K, V> source;
  private final Executor executor;
  private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();
  private volatile int wanted;
  private volatile int wantedOld;

  /** Creates a dispatcher for the events of {@code source}. */
  public EventDispatcher(Cache<K, V> source, Executor executor) {
    this.source = source;
    this.executor = executor;
  }

  /** Registers a listener. */
  public synchronized void register(CacheEntryListenerConfiguration<K, V> configuration) {
    registrations.add(new Registration<>(configuration, executor));
    recompute();
  }

  /** Deregisters a listener; {@return whether it was registered} */
  public synchronized boolean deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    for (Registration<K, V> registration : registrations) {
      if (registration.configuration().equals(configuration)) {
        registrations.remove(registration);
        registration.close();
        recompute();
        return true;
      }
    }
    return false;
  }

  /** {@return whether {@code configuration} is registered} */
  public boolean isRegistered(CacheEntryListenerConfiguration<K, V> configuration) {
    return registrations.stream().anyMatch(r -> r.configuration().equals(configuration));
  }

  private void recompute() {
    int w = 0;
    int old = 0;
    for (Registration<K, V> registration : registrations) {
      for (EventType type : EventType.values()) {
        if (registration.handles(type)) {
          w |= 1 << type.ordinal();
          if (registration.wantsOldValue()) {
            old |= 1 << type.ordinal();
          }
        }
      }
    }
    wanted = w;
    wantedOld = old;
  }

  /** {@return whether any listener is registered} */
  public boolean hasListeners() {
    return wanted != 0;
  }

  /** {@return whether some listener handles {@code type}} */
  public boolean wants(EventType type) {
    return (wanted & (1 << type.ordinal())) != 0;
  }

  /** {@return whether some listener of {@code type} asked for old values} */
  public boolean wantsOldValue(EventType type) {
    return (wantedOld & (1 << type.ordinal())) != 0;
  }

  /** Publishes a created event. */
  public void created(K key, V value) {
    publish(EventType.CREATED, key, value, null, false);
  }

  /** Publishes an updated event; {@code oldValue} may be null if nobody wanted it. */
  public void updated(K key, V value, V oldValue) {
    publish(EventType.UPDATED, key, value, oldValue, oldValue != null);
  }

  /** Publishes a removed event; {@code oldValue} may be null if nobody wanted it. */
  public void removed(K key, V oldValue) {
    publish(EventType.REMOVED, key, oldValue, oldValue, oldValue != null);
  }

  /** Publishes an expired event; {@code oldValue} may be null if nobody wanted it. */
  public void expired(K key, V oldValue) {
    publish(EventType.EXPIRED, key, oldValue, oldValue, oldValue != null);
  }

  private void publish(EventType type, K key, V value, V oldValue, boolean oldAvailable) {
    if (!wants(type)) {
      return;
    }
    EntryEvent<K, V> event = new EntryEvent<>(source, type, key, value, oldValue, oldAvailable);
    for (Registration<K, V> registration : registrations) {
      if (registration.handles(type)) {
        registration.deliver(event);
      }
    }
  }

  /** Closes every listener. */
  public synchronized void close() {
    for (Registration<K, V> registration : registrations) {
      registration.close();
    }
    registrations.clear();
    recompute();
  }
}
