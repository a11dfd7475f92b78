package dev.weakalloc.jcache;

import static dev.weakalloc.jcache.TestCaches.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.Admission;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import dev.weakalloc.jcache.internal.FakeTicker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code put} that needs nothing of the entry it replaces (eternal, no writer, no listener)
 * swaps its handle into the map without a computation ({@code CacheCore.putBlindly}): the old
 * value is freed, a value the region let go before the swap leaves no mapping behind, and a cache
 * that needs the old entry still takes the computation.
 */
class BlindPutTest {
  private static final int VALUE = 1000;
  private final WeakAllocCacheManager manager = TestCaches.newManager();

  @AfterEach
  void close() {
    manager.close();
  }

  private WeakAllocCache<Integer, byte[]> cache(String name, int regionBytes, Admission admission) {
    var config = new WeakAllocConfiguration<Integer, byte[]>()
        .setOwnRegion(regionBytes)
        .setAdmission(admission)
        .setTypes(Integer.class, byte[].class);
    return TestCaches.unwrap(manager.createCache(name, config));
  }

  @Test
  void put_replacingValues_freesEachOldValue() {
    WeakAllocCache<Integer, byte[]> cache = cache("replaced", 1 << 20, Admission.NONE);
    for (int round = 0; round < 5; round++) {
      for (int key = 0; key < 100; key++) {
        cache.put(key, bytes(VALUE, key * 7 + round));
      }
    }
    assertThat(cache.regionStats().liveValues()).isEqualTo(100);
    assertThat(cache.regionStats().evictions()).isZero();
    assertThat(cache.estimatedSize()).isEqualTo(100);
    for (int key = 0; key < 100; key++) {
      assertThat(cache.get(key)).as("key %d", key).isEqualTo(bytes(VALUE, key * 7 + 4));
    }
  }

  /**
   * Four threads put into a region a few times smaller than their keys, with admission refusing
   * most newcomers: each refused handle is gone before its put maps it, and any thread's eviction
   * drain may try to remove its mapping before the put made it. Whenever they stop, every mapping
   * must name a live value. The race is narrow: with the put's own removal taken out, this test
   * caught the dead mapping in one run of seven; raise {@code ROUNDS} to look harder.
   */
  @Test
  void put_racingRefusalsAndEvictionDrains_leavesNoMappingToAGoneValue() throws Exception {
    WeakAllocCache<Integer, byte[]> cache = cache("raced", 256 << 10, Admission.TINY_LFU);
    for (int round = 0; round < ROUNDS; round++) {
      runConcurrently(4, () -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 30_000; i++) {
          int key = random.nextInt(KEYS);
          if (random.nextInt(4) == 0) {
            cache.get(key);
          } else {
            cache.put(key, bytes(VALUE, key));
          }
        }
      });
      cache.drainEvictions(); // the region's last evictions leave the map

      assertThat(cache.estimatedSize())
          .as("round %d: mappings, against the values alive in the region", round)
          .isEqualTo(cache.regionStats().liveValues());
    }
    assertThat(cache.regionStats().admissionsRefused()).as("refusals raced").isPositive();
    for (int key = 0; key < KEYS; key++) {
      byte[] value = cache.get(key);
      if (value != null) {
        assertThat(value).as("key %d", key).isEqualTo(bytes(VALUE, key));
      }
    }
  }

  private static final int ROUNDS = 4;
  private static final int KEYS = 2_000;

  /** Runs {@code work} in {@code threads} threads started together, and waits for them all. */
  private static void runConcurrently(int threads, Runnable work) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        awaitQuietly(start);
        work.run();
      });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
  }

  /**
   * A region eviction listener runs in the drain that follows a put; one that registers a cache
   * entry listener there must not wait for its own put to leave flight.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void put_whoseEvictionListenerRegistersAListener_doesNotWaitForItself() {
    WeakAllocCache<Integer, byte[]> cache = cache("self", 64 << 10, Admission.NONE);
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    var listener = new MutableCacheEntryListenerConfiguration<Integer, byte[]>(
        FactoryBuilder.factoryOf(new Recorder(events)), null, true, true);
    java.util.concurrent.atomic.AtomicBoolean registered = new java.util.concurrent.atomic.AtomicBoolean();
    cache.addEvictionListener(key -> {
      if (registered.compareAndSet(false, true)) {
        cache.registerCacheEntryListener(listener);
      }
    });
    for (int key = 0; events.isEmpty() && key < 1_000; key++) {
      cache.put(key, bytes(VALUE, key));
    }
    assertThat(events).as("puts after the registration are announced").isNotEmpty();
  }

  @Test
  void put_withExpiry_keepsWhatThePolicySaysOfTheOldEntry() {
    FakeTicker ticker = new FakeTicker();
    try (WeakAllocCacheManager timed = TestCaches.newManager(ticker)) {
      var config = new WeakAllocConfiguration<Integer, byte[]>().setTypes(Integer.class, byte[].class);
      config.setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR));
      var cache = timed.createCache("expiring", config);
      cache.put(1, bytes(VALUE, 1));
      ticker.advance(java.time.Duration.ofMinutes(40));
      cache.put(1, bytes(VALUE, 2)); // an update: the creation time still decides
      ticker.advance(java.time.Duration.ofMinutes(30));
      assertThat(cache.get(1)).as("expired an hour after its creation").isNull();
    }
  }

  @Test
  void put_withAListener_announcesTheUpdateWithItsOldValue() {
    WeakAllocCache<Integer, byte[]> cache = cache("listened", 1 << 20, Admission.NONE);
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(new Recorder(events)), null, true, true));
    cache.put(1, bytes(VALUE, 1));
    cache.put(1, bytes(VALUE, 2));
    assertThat(events).containsExactly("created 1", "updated 1 from the first value");
  }

  /** Records created and updated events, saying whether an update's old value was the first one. */
  private record Recorder(List<String> events)
      implements CacheEntryCreatedListener<Integer, byte[]>,
          CacheEntryUpdatedListener<Integer, byte[]>, java.io.Serializable {
    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends Integer, ? extends byte[]>> created) {
      created.forEach(e -> events.add("created " + e.getKey()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends Integer, ? extends byte[]>> updated) {
      updated.forEach(e -> events.add("updated " + e.getKey()
          + (Arrays.equals(e.getOldValue(), bytes(VALUE, 1)) ? " from the first value" : " from another")));
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
