package dev.weakalloc.jcache;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;

/**
 * The listeners of a near cache, registered on its backing cache, which runs them: its events are
 * the whole cluster's, and it keeps the listener's promise (synchronous or not, old values) for
 * the writes the near cache sends it. The listeners see the near cache as the source of every
 * event, as JCache says ({@code CacheEntryEvent.getSource()} is the cache the listener was
 * registered on), not the engine's cache.
 *
 * <h2>Implementation notes</h2>
 * Each configuration the user gives is registered on the backing cache as a {@link Forwarding}
 * of it: the same flags ({@code isSynchronous}, {@code isOldValueRequired}), and factories that
 * wrap the user's listener and filter so that each event they are given is a {@link NearEvent}
 * of the engine's, with the near cache as its source. Registered as it is, the user's listener
 * would see the engine's cache as the source: a listener that finds its cache again from the
 * event (by the source's manager URI and name, through its own provider, as the TCK's listener
 * server does for every event) does not find it, since this provider has no manager of the
 * engine's URI with that cache, and the event is lost.
 *
 * <p>While one of them is synchronous, the near tier's invalidation listener is synchronous too,
 * for engines that count a write's completion by every listener of the cache ({@link NearTier},
 * class notes).
 *
 * <p>An engine that sends listener configurations to its members (Hazelcast) sends copies
 * without the near cache (a transient field): a listener or filter made from such a copy passes
 * the engine's events on as they are. Engines deregister by {@code equals} of the configuration,
 * possibly of a copy, so a {@code Forwarding} is equal to its copies and to nothing else (an id
 * made when it is). Registrations here are by {@code equals} of the user's configuration, as on
 * any JCache cache.
 *
 * <p>Thread safety: thread-safe; registering and deregistering are serialized on this object.
 * The listeners run on the engine's threads. Memory: nothing off-heap; events are the engine's,
 * wrapped.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class NearListeners<K, V> {
  private final Cache<K, V> nearCache;
  private final NearTier<K, V> tier;
  private final Cache<K, V> backing;
  // Guarded by this: the user's configurations, each with what was registered on the backing cache.
  private final Map<CacheEntryListenerConfiguration<K, V>, Forwarding<K, V>> registered =
      new LinkedHashMap<>();

  /**
   * Creates the listeners of a near cache, none registered yet.
   *
   * @param nearCache the events' source for the listeners
   * @param tier the near tier, whose backing cache the listeners are registered on
   */
  NearListeners(Cache<K, V> nearCache, NearTier<K, V> tier) {
    this.nearCache = requireNonNull(nearCache, "nearCache");
    this.tier = tier;
    this.backing = tier.backing();
  }

  /**
   * Registers {@code listener} on the backing cache.
   *
   * @throws IllegalArgumentException if it is registered already
   * @throws RuntimeException what the backing cache throws; then nothing is registered
   */
  synchronized void register(CacheEntryListenerConfiguration<K, V> listener) {
    requireNonNull(listener, "listener");
    if (registered.containsKey(listener)) {
      throw new IllegalArgumentException("listener already registered: " + listener);
    }
    Forwarding<K, V> forwarding = new Forwarding<>(listener, nearCache);
    if (listener.isSynchronous()) {
      tier.setSynchronous(true); // before: a write then never returns before the listener ran
    }
    try {
      backing.registerCacheEntryListener(forwarding);
    } catch (RuntimeException e) {
      relaxQuietly(e::addSuppressed);
      throw e;
    }
    registered.put(listener, forwarding);
  }

  /** Lets the invalidation listener be asynchronous again if no listener here is synchronous. */
  // Guarded by this.
  private void relaxQuietly(Consumer<RuntimeException> failed) {
    if (registered.keySet().stream().noneMatch(CacheEntryListenerConfiguration::isSynchronous)) {
      try {
        tier.setSynchronous(false);
      } catch (RuntimeException e) { // it stays synchronous: writes wait for it, nothing worse
        failed.accept(e);
      }
    }
  }

  /**
   * Deregisters {@code listener} from the backing cache; nothing happens if it is not registered.
   *
   * @throws RuntimeException what the backing cache throws; the listener is forgotten here anyway
   */
  synchronized void deregister(CacheEntryListenerConfiguration<K, V> listener) {
    Forwarding<K, V> forwarding = registered.remove(listener);
    if (forwarding != null) {
      backing.deregisterCacheEntryListener(forwarding);
      relaxQuietly(e -> System.getLogger(NearListeners.class.getName())
          .log(System.Logger.Level.DEBUG, "near cache " + nearCache.getName(), e));
    }
  }

  /**
   * Deregisters every listener, giving each failure to {@code failed} and going on (the near cache
   * is closing, or its creation failed, and must leave nothing on the backing cache it can remove).
   */
  synchronized void deregisterAll(Consumer<RuntimeException> failed) {
    for (Forwarding<K, V> forwarding : registered.values()) {
      try {
        if (!backing.isClosed()) {
          backing.deregisterCacheEntryListener(forwarding);
        }
      } catch (RuntimeException e) {
        failed.accept(e);
      }
    }
    registered.clear();
  }

  /**
   * A user's listener configuration as registered on the backing cache: its flags, and factories
   * that wrap its listener and filter (class notes). Equal to its serialized copies only.
   *
   * <p>Thread safety: immutable.
   */
  static final class Forwarding<K, V> implements CacheEntryListenerConfiguration<K, V> {
    private static final long serialVersionUID = 1L;
    private final CacheEntryListenerConfiguration<K, V> user;
    /** The events' source; null in a copy the engine made by serializing this configuration. */
    private final transient Cache<K, V> nearCache;
    private final UUID id = UUID.randomUUID();

    Forwarding(CacheEntryListenerConfiguration<K, V> user, Cache<K, V> nearCache) {
      this.user = user;
      this.nearCache = nearCache;
    }

    @Override
    public Factory<CacheEntryListener<? super K, ? super V>> getCacheEntryListenerFactory() {
      return new ListenerFactory<>(this);
    }

    @Override
    public Factory<CacheEntryEventFilter<? super K, ? super V>> getCacheEntryEventFilterFactory() {
      return user.getCacheEntryEventFilterFactory() == null ? null : new FilterFactory<>(this);
    }

    @Override
    public boolean isOldValueRequired() {
      return user.isOldValueRequired();
    }

    @Override
    public boolean isSynchronous() {
      return user.isSynchronous();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Forwarding<?, ?> other && id.equals(other.id);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }

    @Override
    public String toString() {
      return "near cache listener " + user;
    }
  }

  /** Makes the user's listener, wrapped. Equal to the factories of an equal configuration. */
  private record ListenerFactory<K, V>(Forwarding<K, V> of)
      implements Factory<CacheEntryListener<? super K, ? super V>> {
    @Override
    public CacheEntryListener<? super K, ? super V> create() {
      return new NearListener<>(of.user.getCacheEntryListenerFactory().create(), of.nearCache);
    }
  }

  /** Makes the user's filter, wrapped. Equal to the factories of an equal configuration. */
  private record FilterFactory<K, V>(Forwarding<K, V> of)
      implements Factory<CacheEntryEventFilter<? super K, ? super V>> {
    @Override
    public CacheEntryEventFilter<? super K, ? super V> create() {
      return new NearFilter<>(of.user.getCacheEntryEventFilterFactory().create(), of.nearCache);
    }
  }

  /**
   * {@return the events with the near cache as their source, or as they are without it}
   */
  private static <K, V> Iterable<CacheEntryEvent<? extends K, ? extends V>> resourced(
      Iterable<CacheEntryEvent<? extends K, ? extends V>> events, Cache<K, V> nearCache) {
    if (nearCache == null) {
      return events;
    }
    List<CacheEntryEvent<? extends K, ? extends V>> near = new ArrayList<>();
    for (CacheEntryEvent<? extends K, ? extends V> event : events) {
      near.add(new NearEvent<>(nearCache, event));
    }
    return near;
  }

  /**
   * The user's listener, given the engine's events with the near cache as their source. Implements
   * every listener interface and passes on only what the user's implements; closing it closes the
   * user's if that is {@link Closeable}. Called from the engine's threads.
   */
  @SuppressWarnings("unchecked") // the user's listener takes events of K and V or of supertypes
  private record NearListener<K, V>(CacheEntryListener<? super K, ? super V> user, Cache<K, V> nearCache)
      implements CacheEntryCreatedListener<K, V>,
          CacheEntryUpdatedListener<K, V>,
          CacheEntryRemovedListener<K, V>,
          CacheEntryExpiredListener<K, V>,
          Closeable {
    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
      if (user instanceof CacheEntryCreatedListener<?, ?> created) {
        ((CacheEntryCreatedListener<K, V>) created).onCreated(resourced(events, nearCache));
      }
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
      if (user instanceof CacheEntryUpdatedListener<?, ?> updated) {
        ((CacheEntryUpdatedListener<K, V>) updated).onUpdated(resourced(events, nearCache));
      }
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
      if (user instanceof CacheEntryRemovedListener<?, ?> removed) {
        ((CacheEntryRemovedListener<K, V>) removed).onRemoved(resourced(events, nearCache));
      }
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
      if (user instanceof CacheEntryExpiredListener<?, ?> expired) {
        ((CacheEntryExpiredListener<K, V>) expired).onExpired(resourced(events, nearCache));
      }
    }

    @Override
    public void close() throws IOException {
      if (user instanceof Closeable closeable) {
        closeable.close();
      }
    }
  }

  /** The user's filter, given the engine's events with the near cache as their source. */
  @SuppressWarnings("unchecked") // the user's filter takes events of K and V or of supertypes
  private record NearFilter<K, V>(CacheEntryEventFilter<? super K, ? super V> user, Cache<K, V> nearCache)
      implements CacheEntryEventFilter<K, V> {
    @Override
    public boolean evaluate(CacheEntryEvent<? extends K, ? extends V> event) {
      var filter = (CacheEntryEventFilter<K, V>) user;
      return filter.evaluate(nearCache == null ? event : new NearEvent<>(nearCache, event));
    }
  }

  /**
   * An event of the backing cache with the near cache as its source: its type, key and values are
   * the engine's event's, and it unwraps to what that event unwraps to.
   *
   * <p>Thread safety: immutable if the engine's event is.
   */
  static final class NearEvent<K, V> extends CacheEntryEvent<K, V> {
    private static final long serialVersionUID = 1L;
    private final CacheEntryEvent<? extends K, ? extends V> event;

    NearEvent(Cache<K, V> nearCache, CacheEntryEvent<? extends K, ? extends V> event) {
      super(nearCache, event.getEventType());
      this.event = event;
    }

    @Override
    public K getKey() {
      return event.getKey();
    }

    @Override
    public V getValue() {
      return event.getValue();
    }

    @Override
    public V getOldValue() {
      return event.getOldValue();
    }

    @Override
    public boolean isOldValueAvailable() {
      return event.isOldValueAvailable();
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
      return clazz.isInstance(this) ? clazz.cast(this) : event.unwrap(clazz);
    }
  }
}
