package dev.weakalloc.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import dev.weakalloc.jcache.internal.FakeTicker;
import dev.weakalloc.jcache.management.NearCacheStatistics.BackingCall;
import dev.weakalloc.jcache.management.NearCacheStatistics.Cause;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A near cache in front of a cache of another manager of this provider: the JCache API is all the
 * near tier uses of its backing cache, so a cache of this provider serves as an engine here (the
 * Hazelcast and Caffeine runs are in the {@code near-it} module). Each test checks what the near
 * tier promises: reads served near after the first, writes through the backing cache first,
 * invalidation by the backing cache's events, the staleness bound, and the clear when the backing
 * cache is lost.
 */
class NearCacheTest {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final String PROVIDER = WeakAllocCachingProvider.class.getName();

  private final URI backingUri = URI.create("near-backing-" + SEQUENCE.incrementAndGet());
  /** The manager the near cache finds: through {@code Caching}, as it looks the provider up. */
  private final CacheManager backingManager = javax.cache.Caching
      .getCachingProvider(PROVIDER, getClass().getClassLoader())
      .getCacheManager(backingUri, getClass().getClassLoader());
  private final FakeTicker ticker = new FakeTicker();
  private final WeakAllocCacheManager manager = TestCaches.newManager(ticker);
  private Cache<String, String> backing;

  @AfterEach
  void close() {
    manager.close();
    backingManager.close();
  }

  private Cache<String, String> backing() {
    if (backing == null) {
      backing = backingManager.createCache("prices",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    }
    return backing;
  }

  private WeakAllocConfiguration<String, String> nearConfig() {
    var config = new WeakAllocConfiguration<String, String>()
        .setBackingCache(PROVIDER, backingUri, "prices")
        .setBackingProperties(new java.util.Properties());
    config.setTypes(String.class, String.class);
    return config;
  }

  private WeakAllocCache<String, String> near(WeakAllocConfiguration<String, String> config) {
    backing();
    return TestCaches.unwrap(manager.createCache("near", config));
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited 10 s for: " + what).isNegative();
      Thread.sleep(2);
    }
  }

  @Test
  void get_missReadsBackingOnce_thenHitsNear() {
    backing().put("a", "1"); // before the near cache listens: no event races the fill
    WeakAllocCache<String, String> near = near(nearConfig());

    assertThat(near.get("a")).isEqualTo("1");
    assertThat(near.get("a")).isEqualTo("1");
    assertThat(near.get("absent")).isNull();

    var stats = near.nearStatistics();
    assertThat(stats.hitCount()).isEqualTo(1);
    assertThat(stats.missCount()).isEqualTo(2);
    assertThat(stats.backingCallCount(BackingCall.READ)).isEqualTo(2);
    assertThat(near.estimatedSize()).as("an absent key is not kept near").isEqualTo(1);
    assertThat(near.statistics().hitCount()).as("JCache counts what the caller saw").isEqualTo(2);
  }

  @Test
  void put_writesBackingFirst_andKeepsTheCopyNear() {
    WeakAllocCache<String, String> near = near(nearConfig());
    near.put("a", "1");

    assertThat(backing().get("a")).isEqualTo("1");
    long reads = near.nearStatistics().backingCallCount(BackingCall.READ);
    assertThat(near.get("a")).isEqualTo("1");
    assertThat(near.nearStatistics().backingCallCount(BackingCall.READ)).isEqualTo(reads);
  }

  /**
   * A put's own created event reaches the near tier on the backing cache's event thread at any
   * point of the put: before its near store, during it, after it. Whenever it comes, the copy the
   * put stored stays and the next read is served near. Each put waits for the previous put's event,
   * so its own is the only one in flight (a late event of another key on the same stripe may drop a
   * copy by design). An early version lost the copy when its stamp check ran between an event's
   * stamp move and its record of that event.
   */
  @Test
  void put_keepsItsCopyNear_whereverItsOwnEventArrives() {
    WeakAllocCache<String, String> near =
        near(nearConfig().setMaxStaleness(javax.cache.expiry.Duration.ETERNAL));
    int puts = Integer.getInteger("near.puts", 20_000);
    int missedNear = 0;
    for (int i = 0; i < puts; i++) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (near.nearStatistics().invalidationCount(Cause.CREATED) != i) {
        assertThat(System.nanoTime() - deadline).as("waited 10 s for put %d's event", i - 1).isNegative();
        Thread.yield();
      }
      near.put("k" + i, "v" + i);
      long reads = near.nearStatistics().backingCallCount(BackingCall.READ);
      assertThat(near.get("k" + i)).isEqualTo("v" + i);
      if (near.nearStatistics().backingCallCount(BackingCall.READ) != reads) {
        missedNear++;
      }
    }
    assertThat(missedNear).as("reads after a put that went to the backing cache, of %d", puts).isZero();
  }

  @Test
  void changeMadeOnTheBackingCache_invalidatesTheNearCopy() throws Exception {
    WeakAllocCache<String, String> near = near(nearConfig());
    backing().put("a", "1");
    assertThat(near.get("a")).isEqualTo("1");

    backing().put("a", "2");
    await("the update event", () -> near.nearStatistics().invalidationCount(Cause.UPDATED) == 1);
    assertThat(near.get("a")).isEqualTo("2");

    backing().remove("a");
    await("the remove event", () -> near.nearStatistics().invalidationCount(Cause.REMOVED) == 1);
    assertThat(near.get("a")).isNull();
  }

  @Test
  void failedBackingWrite_throws_andLeavesTheNearCopyAsItWas() {
    backingManager.createCache("prices", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(RefusesPoison.class))
        .setWriteThrough(true));
    backing = backingManager.getCache("prices", String.class, String.class);
    WeakAllocCache<String, String> near = near(nearConfig());
    near.put("a", "1");

    assertThatThrownBy(() -> near.put("a", "poison")).isInstanceOf(CacheWriterException.class);

    long reads = near.nearStatistics().backingCallCount(BackingCall.READ);
    assertThat(near.get("a")).isEqualTo("1");
    assertThat(near.nearStatistics().backingCallCount(BackingCall.READ))
        .as("served near: the copy was left in place").isEqualTo(reads);
    assertThat(near.nearStatistics().invalidationCount(Cause.LISTENER_LOST))
        .as("a writer's failure is the caller's, not a lost listener").isZero();
  }

  /** A writer that refuses the value "poison". */
  public static final class RefusesPoison implements CacheWriter<String, String> {
    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {
      if (entry.getValue().equals("poison")) {
        throw new CacheWriterException("refused");
      }
    }

    @Override
    public void writeAll(java.util.Collection<Cache.Entry<? extends String, ? extends String>> entries) {
      entries.removeIf(e -> !e.getValue().equals("poison"));
      if (!entries.isEmpty()) {
        throw new CacheWriterException("refused");
      }
    }

    @Override
    public void delete(Object key) {}

    @Override
    public void deleteAll(java.util.Collection<?> keys) {
      keys.clear();
    }
  }

  @Test
  void nearCopy_isNotServedPastMaxStaleness() {
    backing().put("a", "1"); // before the near cache listens: no event races the fill
    WeakAllocCache<String, String> near =
        near(nearConfig().setMaxStaleness(new javax.cache.expiry.Duration(TimeUnit.SECONDS, 5)));
    near.get("a");

    ticker.advance(Duration.ofMillis(4_999));
    near.get("a");
    assertThat(near.nearStatistics().hitCount()).isEqualTo(1);

    ticker.advance(Duration.ofMillis(1));
    near.get("a");
    assertThat(near.nearStatistics().hitCount()).as("expired at 5 s").isEqualTo(1);
    assertThat(near.nearStatistics().missCount()).isEqualTo(2);
  }

  @Test
  void backingManagerClosed_clearsNear_andReadsFailAsTheBackingCacheDoes() {
    backing().put("a", "1"); // before the near cache listens: no event races the fill
    WeakAllocCache<String, String> near = near(nearConfig());
    near.get("a");
    assertThat(near.estimatedSize()).isEqualTo(1);

    backingManager.close();
    ticker.advance(Duration.ofMillis(100)); // the next hit checks the backing cache
    near.get("a");

    assertThat(near.nearStatistics().invalidationCount(Cause.LISTENER_LOST)).isEqualTo(1);
    assertThat(near.estimatedSize()).isZero();
    assertThatThrownBy(() -> near.get("a")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void invalidateNear_dropsEveryCopy_andEventsStillInvalidateAfterwards() throws Exception {
    backing().put("a", "1"); // before the near cache listens: no event races the fill
    WeakAllocCache<String, String> near = near(nearConfig());
    near.get("a");

    near.invalidateNear();
    assertThat(near.estimatedSize()).isZero();
    assertThat(near.get("a")).isEqualTo("1");
    assertThat(near.estimatedSize()).as("filled again: the listener is back").isEqualTo(1);

    backing().put("a", "2");
    await("the update event", () -> near.nearStatistics().invalidationCount(Cause.UPDATED) == 1);
    assertThat(near.get("a")).isEqualTo("2");
  }

  @Test
  void everyOtherWrite_goesToTheBackingCache_andDropsTheNearCopy() {
    WeakAllocCache<String, String> near = near(nearConfig());
    near.putAll(Map.of("a", "1", "b", "2", "c", "3", "d", "4"));
    assertThat(backing().getAll(Set.of("a", "b", "c", "d"))).hasSize(4);

    assertThat(near.replace("a", "1", "10")).isTrue();
    assertThat(near.getAndReplace("b", "20")).isEqualTo("2");
    assertThat(near.remove("c", "3")).isTrue();
    javax.cache.processor.EntryProcessor<String, String, String> append = (entry, args) -> {
      entry.setValue(entry.getValue() + "0");
      return "done";
    };
    assertThat(near.invoke("d", append)).isEqualTo("done");
    assertThat(near.putIfAbsent("e", "5")).isTrue();
    assertThat(near.putIfAbsent("e", "50")).isFalse();

    assertThat(near.getAll(Set.of("a", "b", "c", "d", "e")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "10", "b", "20", "d", "40", "e", "5"));
    assertThat(backing().get("d")).isEqualTo("40");
    assertThat(near.nearStatistics().invalidationCount(Cause.WRITE)).isGreaterThanOrEqualTo(5);

    List<String> keys = new ArrayList<>();
    for (var it = near.iterator(); it.hasNext(); ) {
      var entry = it.next();
      keys.add(entry.getKey());
      if (entry.getKey().equals("a")) {
        it.remove();
      }
    }
    assertThat(keys).containsExactlyInAnyOrder("a", "b", "d", "e");
    assertThat(backing().containsKey("a")).isFalse();
    assertThat(near.containsKey("a")).isFalse();

    near.removeAll(Set.of("b"));
    assertThat(backing().containsKey("b")).isFalse();
    near.clear();
    assertThat(backing().iterator().hasNext()).isFalse();
    assertThat(near.estimatedSize()).isZero();
  }

  /**
   * Another node's newer write lands between this node's backing put and its near store, and both
   * events reach the near cache before that store (a synchronous listener on the backing cache,
   * which runs inside the backing put, plays the other node and waits for the events): the near
   * cache must not keep the older value it wrote.
   */
  @Test
  void put_newerWriteAndItsEventBetweenBackingPutAndNearStore_doesNotKeepTheOlderValue() {
    WeakAllocCache<String, String> near =
        near(nearConfig().setMaxStaleness(javax.cache.expiry.Duration.ETERNAL));
    interleave(() -> {
      backing().put("a", "2"); // the other node's write
      awaitUnchecked("both events at the near cache",
          () -> near.nearStatistics().invalidationCount(Cause.CREATED) == 1
              && near.nearStatistics().invalidationCount(Cause.UPDATED) == 1);
    });

    near.put("a", "1");

    assertThat(backing().get("a")).isEqualTo("2");
    assertThat(near.get("a")).isEqualTo("2");
  }

  @Test
  void put_clearBetweenBackingPutAndNearStore_doesNotKeepTheValue() {
    WeakAllocCache<String, String> near =
        near(nearConfig().setMaxStaleness(javax.cache.expiry.Duration.ETERNAL));
    interleave(near::clear);

    near.put("a", "1");

    assertThat(backing().containsKey("a")).isFalse();
    assertThat(near.get("a")).isNull();
  }

  /**
   * Runs {@code between} once, on the first write of the backing cache, after the backing cache
   * applied it and before the write returns to the near cache: a synchronous listener.
   */
  private void interleave(Runnable between) {
    java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable hook = () -> {
      if (once.compareAndSet(false, true)) {
        between.run();
      }
    };
    BETWEEN.set(hook);
    backing().registerCacheEntryListener(new javax.cache.configuration
        .MutableCacheEntryListenerConfiguration<String, String>(
            FactoryBuilder.factoryOf(RunsBetween.class), null, false, true));
  }

  private static final java.util.concurrent.atomic.AtomicReference<Runnable> BETWEEN =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** Runs {@link #BETWEEN} synchronously on each created event. */
  public static final class RunsBetween
      implements javax.cache.event.CacheEntryCreatedListener<String, String> {
    @Override
    public void onCreated(
        Iterable<javax.cache.event.CacheEntryEvent<? extends String, ? extends String>> events) {
      BETWEEN.get().run();
    }
  }

  private static void awaitUnchecked(String what, BooleanSupplier condition) {
    try {
      await(what, condition);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void destroyCache_ofANearCache_dropsTheNearCopiesOnly_andLeavesTheBackingCacheAlone() {
    backing().put("a", "1");
    WeakAllocCache<String, String> near = near(nearConfig());
    near.get("a");

    manager.destroyCache("near");

    assertThat(near.isClosed()).isTrue();
    assertThat(manager.getCache("near")).isNull();
    assertThat(backing().get("a")).as("the backing cache is not the near cache's to clear")
        .isEqualTo("1");
  }

  /** A listener factory that fails: the near cache's creation fails registering its listener. */
  public static final class Failing implements javax.cache.configuration.Factory<
      javax.cache.event.CacheEntryListener<String, String>> {
    private static final long serialVersionUID = 1L;

    @Override
    public javax.cache.event.CacheEntryListener<String, String> create() {
      throw new IllegalStateException("no listener today");
    }
  }

  private static javax.cache.configuration.MutableCacheEntryListenerConfiguration<String, String>
      listener(javax.cache.configuration.Factory<
          ? extends javax.cache.event.CacheEntryListener<String, String>> factory, boolean sync) {
    @SuppressWarnings("unchecked") // a factory of a listener of String, String is one of ? super
    var f = (javax.cache.configuration.Factory<
        javax.cache.event.CacheEntryListener<? super String, ? super String>>) (Object) factory;
    return new javax.cache.configuration.MutableCacheEntryListenerConfiguration<>(f, null, false, sync);
  }

  private static List<javax.cache.configuration.CacheEntryListenerConfiguration<String, String>>
      listenersOn(Cache<String, String> cache) {
    List<javax.cache.configuration.CacheEntryListenerConfiguration<String, String>> listeners =
        new ArrayList<>();
    TestCaches.unwrap(cache).configuration().getCacheEntryListenerConfigurations()
        .forEach(listeners::add);
    return listeners;
  }

  @Test
  void creationThatFailsRegisteringAUserListener_leavesNoListenerOnTheBackingCache_andLeavesItThere() {
    backing().put("a", "1"); // the backing cache exists before: not the near cache's to destroy
    var config = nearConfig();
    config.addCacheEntryListenerConfiguration(listener(FactoryBuilder.factoryOf(RunsBetween.class), true));
    config.addCacheEntryListenerConfiguration(listener(new Failing(), false));

    assertThatThrownBy(() -> manager.createCache("near", config))
        .isInstanceOf(IllegalStateException.class).hasMessage("no listener today");

    assertThat(listenersOn(backing())).as("neither the first listener nor the invalidation one")
        .isEmpty();
    assertThat(manager.getCache("near")).isNull();
    assertThat(backingManager.getCache("prices")).as("it existed before").isSameAs(backing());
    assertThat(backing().get("a")).isEqualTo("1");
  }

  @Test
  void creationThatFails_destroysTheBackingCacheItCreated() {
    var config = nearConfig(); // "prices" does not exist: the near cache creates it
    config.addCacheEntryListenerConfiguration(listener(new Failing(), false));

    assertThatThrownBy(() -> manager.createCache("near", config))
        .isInstanceOf(IllegalStateException.class).hasMessage("no listener today");

    assertThat(backingManager.getCache("prices")).as("created for the near cache, gone with it")
        .isNull();
    assertThat(manager.getCache("near")).isNull();
  }

  /** Collects the events it is given, with their sources. */
  public static final class Collecting
      implements javax.cache.event.CacheEntryCreatedListener<String, String>,
          javax.cache.event.CacheEntryUpdatedListener<String, String> {
    static final List<javax.cache.event.CacheEntryEvent<? extends String, ? extends String>> EVENTS =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onCreated(
        Iterable<javax.cache.event.CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(EVENTS::add);
    }

    @Override
    public void onUpdated(
        Iterable<javax.cache.event.CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(EVENTS::add);
    }
  }

  /**
   * JCache: an event's source is the cache the listener was registered on. A listener that finds
   * its cache again from the event (the TCK's listener server does) must find the near cache, not
   * the engine's cache.
   */
  @Test
  void listenersOfANearCache_seeTheNearCacheAsTheSourceOfEveryEvent() throws Exception {
    Collecting.EVENTS.clear();
    var config = nearConfig();
    config.addCacheEntryListenerConfiguration(
        listener(FactoryBuilder.factoryOf(Collecting.class), true));
    WeakAllocCache<String, String> near = near(config);
    near.put("a", "1"); // synchronous: the event is there when put returns
    near.registerCacheEntryListener(listener(FactoryBuilder.factoryOf(Collecting.class), false)
        .setOldValueRequired(true));
    near.put("a", "2");

    await("the asynchronous listener's event", () -> Collecting.EVENTS.size() == 3);
    assertThat(Collecting.EVENTS).allSatisfy(event -> {
      assertThat((Object) event.getSource()).isSameAs(near);
      assertThat(event.getSource().getCacheManager()).isSameAs(manager);
    });
    assertThat(Collecting.EVENTS).extracting(e -> e.getEventType() + " " + e.getKey() + "=" + e.getValue())
        .containsExactlyInAnyOrder("CREATED a=1", "UPDATED a=2", "UPDATED a=2");
    assertThat(Collecting.EVENTS).filteredOn(javax.cache.event.CacheEntryEvent::isOldValueAvailable)
        .extracting(e -> (Object) e.getOldValue()).isNotEmpty().containsOnly("1");
  }

  /**
   * While the near cache has a synchronous listener, its invalidation listener on the backing cache
   * is synchronous too: an engine may release a write once as many listeners as are synchronous
   * handled its events (Hazelcast does), and an asynchronous one would count.
   */
  @Test
  void synchronousListener_makesTheInvalidationListenerSynchronous_whileItIsRegistered() {
    WeakAllocCache<String, String> near = near(nearConfig());
    assertThat(listenersOn(backing())).singleElement()
        .as("the invalidation listener alone, asynchronous").matches(l -> !l.isSynchronous());

    var sync = listener(FactoryBuilder.factoryOf(Collecting.class), true);
    near.registerCacheEntryListener(sync);
    assertThat(listenersOn(backing())).hasSize(2).allMatch(
        javax.cache.configuration.CacheEntryListenerConfiguration::isSynchronous);
    assertThatThrownBy(() -> near.registerCacheEntryListener(sync))
        .isInstanceOf(IllegalArgumentException.class);

    near.deregisterCacheEntryListener(sync);
    assertThat(listenersOn(backing())).singleElement().matches(l -> !l.isSynchronous());
  }

  @Test
  void close_closesTheBackingManagerTheNearCacheObtained() {
    near(nearConfig());
    assertThat(backingManager.isClosed()).isFalse();

    manager.close();

    assertThat(backingManager.isClosed()).isTrue();
  }

  /** Engines that ship listener configurations to members deregister by equals of a copy. */
  @Test
  void invalidationListenerFactory_equalsItsSerializedCopy_andNoOtherFactory() throws Exception {
    var factory = new NearTier.InvalidatorFactory<String, String>(null);
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(factory);
    }
    Object copy;
    try (var in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = in.readObject();
    }
    assertThat(copy).isEqualTo(factory).hasSameHashCodeAs(factory);
    assertThat(new NearTier.InvalidatorFactory<String, String>(null)).isNotEqualTo(factory);
  }

  @Test
  void nearConfiguration_thatReadsThroughOrExpires_isRefusedNamingTheBackingCache() {
    backing();
    assertThatThrownBy(() -> manager.createCache("n1", nearConfig().setReadThrough(true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prices");
    assertThatThrownBy(() -> manager.createCache("n2", nearConfig()
            .setExpiryPolicyFactory(javax.cache.expiry.CreatedExpiryPolicy.factoryOf(
                javax.cache.expiry.Duration.ONE_MINUTE))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maximum staleness");
  }

  @Test
  void unreachableBackingProvider_failsCreation_namingProviderAndCache() {
    var config = new WeakAllocConfiguration<String, String>()
        .setBackingCache("com.example.NoSuchProvider", null, "prices");
    assertThatThrownBy(() -> manager.createCache("n", config))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("com.example.NoSuchProvider")
        .hasMessageContaining("prices");
    assertThat(manager.getCache("n")).isNull();
  }

  /**
   * Writers change the backing cache directly while readers read through the near cache, with no
   * staleness bound (events alone invalidate): once the writers stop and events drain, every near
   * read returns the backing cache's value. A fill that kept a value an event had already
   * invalidated would stay stale forever and fail this.
   */
  @Test
  void concurrentWritesElsewhere_afterEventsDrain_nearAgreesWithBacking() throws Exception {
    WeakAllocCache<String, String> near =
        near(nearConfig().setMaxStaleness(javax.cache.expiry.Duration.ETERNAL));
    int keys = 16;
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
    List<Thread> threads = new ArrayList<>();
    threads.add(Thread.ofPlatform().start(() -> {
      for (int v = 0; System.nanoTime() < end; v++) {
        backing().put("k" + (v % keys), "v" + v);
      }
    }));
    for (int r = 0; r < 2; r++) {
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; System.nanoTime() < end; i++) {
          near.get("k" + (i % keys));
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    Map<String, String> truth = new HashMap<>();
    for (int k = 0; k < keys; k++) {
      truth.put("k" + k, backing().get("k" + k));
    }
    await("near agrees with backing", () -> {
      for (var e : truth.entrySet()) {
        if (!e.getValue().equals(near.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    });
    assertThat(near.nearStatistics().hitCount()).as("some reads were served near").isPositive();
  }
}
