package dev.weakalloc.nearit;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.cache.HazelcastMemberCachingProvider;
import com.hazelcast.cache.ICache;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import dev.weakalloc.jcache.management.NearCacheStatistics.BackingCall;
import dev.weakalloc.jcache.management.NearCacheStatistics.Cause;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The near cache in front of a Hazelcast cache reached through a Hazelcast client, with the
 * cluster's members in this JVM on 127.0.0.1: reads, writes, invalidation by the cluster's events,
 * coherence under concurrent writes made on a member, and a member leaving mid-run.
 *
 * <p>Runs about ten seconds; {@code -Dstress.seconds=600} makes the coherence run a minute long.
 */
class HazelcastNearCacheTest {
  private static final String CLIENT_PROVIDER = "com.hazelcast.client.cache.HazelcastClientCachingProvider";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static Loopback cluster;
  private static HazelcastInstance client;
  /** A member's cache proxies belong to the first JCache manager that asks: one manager each. */
  private static final java.util.Map<Integer, CacheManager> memberManagers = new ConcurrentHashMap<>();

  /** A cache of its own for each test, in the default managers of members and client. */
  private final String cacheName = "prices-" + SEQUENCE.incrementAndGet();
  private final WeakAllocCachingProvider provider = new WeakAllocCachingProvider();
  private CacheManager nearManager;

  @BeforeAll
  static void startCluster() {
    cluster = Loopback.start(3);
    client = cluster.client();
  }

  @AfterAll
  static void stopCluster() {
    javax.cache.Caching.getCachingProvider(CLIENT_PROVIDER).close();
    cluster.close();
  }

  @AfterEach
  void closeNear() {
    if (nearManager != null) {
      nearManager.close();
    }
  }

  /** {@return member {@code i}'s view of the cache, through its JCache manager (one per member)} */
  private Cache<String, Long> onMember(int i) {
    CacheManager manager = memberManagers.computeIfAbsent(i, n -> new HazelcastMemberCachingProvider()
        .getCacheManager(null, getClass().getClassLoader(),
            HazelcastCachingProvider.propertiesByInstanceItself(cluster.members.get(n))));
    Cache<String, Long> cache = manager.getCache(cacheName);
    return cache != null ? cache : manager.createCache(cacheName,
        new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
  }

  /** The near cache as provider/README.md's Java example makes it, over this test's cache. */
  private WeakAllocCache<String, Long> near(Duration maxStaleness) {
    return near(cacheName, maxStaleness);
  }

  /** A near cache named {@code name} over this test's cache, in this test's near manager. */
  private WeakAllocCache<String, Long> near(String name, Duration maxStaleness) {
    return near(name, maxStaleness, client, null);
  }

  /**
   * A near cache named {@code name} over this test's cache, through {@code client} and the client
   * manager of {@code backingUri}. Hazelcast's provider returns the manager it made first for a URI
   * whatever the properties, so a second client needs a URI of its own (which also prefixes the
   * cache's name on the cluster).
   */
  private WeakAllocCache<String, Long> near(
      String name, Duration maxStaleness, HazelcastInstance client, URI backingUri) {
    onMember(0); // the backing cache exists on the cluster
    var near = new WeakAllocConfiguration<String, Long>()
        .setBackingCache("com.hazelcast.client.cache.HazelcastClientCachingProvider", backingUri, cacheName)
        .setBackingProperties(HazelcastCachingProvider.propertiesByInstanceItself(client))
        .setMaxStaleness(maxStaleness);
    near.setTypes(String.class, Long.class);
    Properties properties = new Properties();
    properties.setProperty("weakalloc.region.capacity", "8MiB");
    nearManager = provider.getCacheManager(URI.create("near-" + cacheName), getClass().getClassLoader(), properties);
    @SuppressWarnings("unchecked")
    WeakAllocCache<String, Long> cache = nearManager.createCache(name, near).unwrap(WeakAllocCache.class);
    return cache;
  }

  private static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited %d s for: %s", seconds, what).isNegative();
      Thread.sleep(5);
    }
  }

  @Test
  void readsWritesAndInvalidation_throughTheClient() throws Exception {
    Cache<String, Long> member = onMember(1);
    member.put("a", 1L);
    WeakAllocCache<String, Long> near = near(Duration.ONE_MINUTE);

    assertThat(near.get("a")).isEqualTo(1L);
    assertThat(near.get("a")).isEqualTo(1L);
    assertThat(near.nearStatistics().hitCount()).isEqualTo(1);

    near.put("b", 2L);
    assertThat(member.get("b")).as("written to the cluster").isEqualTo(2L);
    long reads = near.nearStatistics().backingCallCount(BackingCall.READ);
    assertThat(near.get("b")).isEqualTo(2L);
    assertThat(near.nearStatistics().backingCallCount(BackingCall.READ)).as("served near").isEqualTo(reads);

    member.put("a", 10L);
    await("the member's update reaches the client", 10, () -> Long.valueOf(10L).equals(near.get("a")));
    assertThat(near.nearStatistics().invalidationCount(Cause.UPDATED)).isPositive();

    member.remove("b");
    await("the member's removal reaches the client", 10, () -> near.get("b") == null);

    ICache<?, ?> engine = near.unwrap(ICache.class);
    assertThat(engine.getName()).as("unwraps to the engine's cache").isEqualTo(cacheName);
  }

  /** Counts created events after a pause, recording their sources: a slow synchronous listener. */
  public static final class SlowCounter
      implements CacheEntryCreatedListener<String, Long>, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    static final List<Object> SOURCES = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends Long>> events) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      events.forEach(e -> SOURCES.add(e.getSource()));
    }
  }

  /**
   * A synchronous listener of the near cache (registered on the Hazelcast cache, where it runs) has
   * run when a write through the near cache returns, and sees the near cache as its events'
   * source. Hazelcast releases a write once as many listener registrations as are synchronous have
   * handled its events, counting asynchronous ones too: with the near cache's invalidation listener
   * asynchronous, writes returned before the slow listener ran.
   */
  @Test
  void synchronousListener_hasRunWhenAWriteReturns_andSeesTheNearCacheAsSource() {
    SlowCounter.SOURCES.clear();
    WeakAllocCache<String, Long> near = near(Duration.ONE_MINUTE);
    near.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<String, Long>(
        FactoryBuilder.factoryOf(SlowCounter.class), null, false, true));

    for (int i = 1; i <= 5; i++) {
      near.put("k" + i, (long) i);
      assertThat(SlowCounter.SOURCES).as("run when put %d returned", i).hasSize(i);
    }
    assertThat(SlowCounter.SOURCES).allMatch(source -> source == near);
  }

  /**
   * Starts the writer of the coherence runs: until {@code end}, it writes versions {@code keys},
   * {@code keys + 1}, ... round the keys on {@code member}, recording each in {@code history}. A key
   * changes about every 32 x 0.2 ms: copies live long enough to be hit between its updates even on
   * a busy machine, so a run exercises near hits as well as invalidations.
   */
  private static Thread startPacedWriter(Cache<String, Long> member, int keys, History history, long end) {
    return Thread.ofPlatform().start(() -> {
      for (long v = keys; System.nanoTime() < end; v++) {
        int k = (int) (v % keys);
        member.put("k" + k, v);
        history.written(k, v, System.nanoTime());
        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
      }
    });
  }

  /**
   * The time a fill may take between reading the backing cache and storing the copy, whose expiry
   * counts from the store: scheduling on a busy two-core machine, not the near tier's doing.
   */
  private static final long SLACK_MILLIS = 200;

  /**
   * Writers on a member, readers through two near caches on the client, values carrying a version.
   * Through the one bounded to 500 ms, every read returns a version that was current within the
   * bound (plus {@link #SLACK_MILLIS}) of when the read began, in a run four times as long as the
   * bound. The other trusts events alone (no bound): once the writers stop and events drain, every
   * key agrees with the cluster, which only invalidation by events can bring about.
   */
  @Test
  void coherence_versionsReadAreNeverStalerThanTheBound_andAllAgreeOnceEventsDrain() throws Exception {
    int keys = 32;
    long boundMillis = 500;
    Cache<String, Long> member = onMember(0);
    WeakAllocCache<String, Long> bounded = near("bounded", new Duration(TimeUnit.MILLISECONDS, boundMillis));
    WeakAllocCache<String, Long> eventsOnly = near("events-only", Duration.ETERNAL);
    History history = new History(keys);
    for (int k = 0; k < keys; k++) {
      member.put("k" + k, (long) k); // versions are unique across keys: key k holds k, k + keys, ...
      history.written(k, k, System.nanoTime());
    }
    long runNanos = TimeUnit.SECONDS.toNanos(Math.max(2, Long.getLong("stress.seconds", 2) / 10));
    long end = System.nanoTime() + runNanos;
    List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread writer = startPacedWriter(member, keys, history, end);
    List<Thread> readers = new ArrayList<>();
    for (WeakAllocCache<String, Long> near : List.of(bounded, eventsOnly)) {
      readers.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; System.nanoTime() < end; i++) {
          int k = i % keys;
          long began = System.nanoTime();
          Long v = near.get("k" + k);
          long late = began - history.supersededAt(k, v);
          if (near == bounded && late > TimeUnit.MILLISECONDS.toNanos(boundMillis + SLACK_MILLIS)) {
            violations.add("k" + k + "=" + v + " read " + late / 1_000_000 + " ms after it was superseded");
          }
        }
      }));
    }
    writer.join();
    for (Thread t : readers) {
      t.join();
    }
    assertThat(violations).isEmpty();
    await("every key agrees with the cluster", 10, () -> {
      for (int k = 0; k < keys; k++) {
        if (!member.get("k" + k).equals(eventsOnly.get("k" + k))) {
          return false;
        }
      }
      return true;
    });
    for (WeakAllocCache<String, Long> near : List.of(bounded, eventsOnly)) {
      assertThat(near.nearStatistics().hitCount()).as("reads were served near").isPositive();
      assertThat(near.nearStatistics().invalidationCount(Cause.UPDATED)).isPositive();
    }
  }

  /**
   * A member leaves mid-run (the cluster keeps a backup of every partition): the client's
   * membership listener tells the near cache, which drops its copies and registers its listener
   * again; no read fails, and none is staler than the bound.
   */
  @Test
  void memberLeavesMidRun_nearClears_readsNeverFail_andStayWithinTheBound() throws Exception {
    int keys = 32;
    long boundMillis = 500;
    Cache<String, Long> member = onMember(0);
    WeakAllocCache<String, Long> near = near(new Duration(TimeUnit.MILLISECONDS, boundMillis));
    var registration = client.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        // Off Hazelcast's event thread: registering the listener again is a call to the cluster.
        java.util.concurrent.CompletableFuture.runAsync(near::invalidateNear);
      }
    });
    History history = new History(keys);
    for (int k = 0; k < keys; k++) {
      member.put("k" + k, (long) k); // versions are unique across keys: key k holds k, k + keys, ...
      history.written(k, k, System.nanoTime());
    }
    AtomicLong failures = new AtomicLong();
    List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    Thread writer = startPacedWriter(member, keys, history, end);
    Thread reader = Thread.ofPlatform().start(() -> {
      for (int i = 0; System.nanoTime() < end; i++) {
        int k = i % keys;
        long began = System.nanoTime();
        try {
          Long v = near.get("k" + k);
          if (began - history.supersededAt(k, v) > TimeUnit.MILLISECONDS.toNanos(boundMillis + SLACK_MILLIS)) {
            violations.add("k" + k + "=" + v);
          }
        } catch (RuntimeException e) {
          failures.incrementAndGet();
        }
      }
    });
    Thread.sleep(500);
    HazelcastInstance leaving = cluster.members.remove(2);
    leaving.shutdown();
    writer.join();
    reader.join();
    client.getCluster().removeMembershipListener(registration);

    assertThat(failures.get()).as("reads that failed").isZero();
    assertThat(violations).isEmpty();
    assertThat(near.nearStatistics().invalidationCount(Cause.LISTENER_LOST)).isPositive();
    await("every key agrees with the cluster", 5, () -> {
      for (int k = 0; k < keys; k++) {
        if (!member.get("k" + k).equals(near.get("k" + k))) {
          return false;
        }
      }
      return true;
    });
  }

  /**
   * The near cache's own client shuts down: a read either fails, as the backing cache does, or returns
   * a copy younger than the bound; once the bound has passed since the copy was read, every read
   * fails (nothing near is served stale), and the failure has marked the listener lost.
   */
  @Test
  void clientShutDown_nearServesNothingPastTheBound() throws Exception {
    HazelcastInstance leaving = cluster.client();
    WeakAllocCache<String, Long> near = near(
        "own-client", new Duration(TimeUnit.MILLISECONDS, 500), leaving, URI.create("leaving-client"));
    near.put("a", 1L);
    long filled = System.nanoTime();
    assertThat(near.get("a")).isEqualTo(1L);
    assertThat(near.nearStatistics().hitCount()).isEqualTo(1);

    leaving.shutdown();
    try {
      assertThat(near.get("a")).isEqualTo(1L);
      assertThat(System.nanoTime() - filled).as("a copy served after the shutdown is within the bound")
          .isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
    } catch (RuntimeException expected) {
      // the backing cache failed, as it would have without the near tier
    }
    Thread.sleep(Math.max(0, 600 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - filled)));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> near.get("a"))
        .as("past the bound, the read goes to the backing cache, which cannot serve it")
        .isInstanceOf(RuntimeException.class);
    assertThat(near.nearStatistics().invalidationCount(Cause.LISTENER_LOST)).isPositive();
    assertThat(near.estimatedSize()).isZero();
  }

  /**
   * When each version of each key stopped being current: version v of key k is superseded once
   * the put of a later version returned. Written by one writer; read by any thread.
   */
  private static final class History {
    private final ConcurrentHashMap<Long, Long> supersededAt = new ConcurrentHashMap<>();
    private final AtomicLongArray latest;

    History(int keys) {
      latest = new AtomicLongArray(keys);
      for (int k = 0; k < keys; k++) {
        latest.set(k, -1);
      }
    }

    void written(int key, long version, long at) {
      long previous = latest.getAndSet(key, version);
      if (previous >= 0) {
        supersededAt.put(previous, at);
      }
    }

    /** {@return when {@code version} of {@code key} was superseded, or Long.MAX_VALUE if it was not} */
    long supersededAt(int key, Long version) {
      if (version == null) {
        throw new AssertionError("k" + key + " read as absent: it is never removed");
      }
      return supersededAt.getOrDefault(version, Long.MAX_VALUE);
    }
  }
}
