package dev.weakalloc.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Several threads put, get, remove and invoke on one cache whose small region evicts all the time.
 * Each thread owns a disjoint key range and checks every read against its own sequential model:
 * a key reads as the model's value or, once evicted, as absent until it is written again. Shared
 * keys, written by all threads, must always read as a well-formed value. At the end the cache's
 * size, the statistics' evictions and the region's evictions must agree.
 *
 * <p>Run it longer with {@code -Dstress.rounds=50} (each round is 20,000 operations per thread).
 */
class ConcurrentModelTest {
  private static final int THREADS = 4;
  private static final int KEYS_PER_THREAD = 300;
  private static final int SHARED_KEYS = 8;
  private static final int SHARED_BASE = 1_000_000;

  @Test
  void mixedOperations_underConstantEviction_matchPerThreadModels() throws Exception {
    int rounds = Integer.getInteger("stress.rounds", 1);
    try (WeakAllocCacheManager manager = TestCaches.newManager()) {
      var config = new WeakAllocConfiguration<Integer, byte[]>().setOwnRegion(2 << 20);
      config.setTypes(Integer.class, byte[].class).setStatisticsEnabled(true);
      WeakAllocCache<Integer, byte[]> cache =
          TestCaches.unwrap(manager.createCache("concurrent", config));
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<Map<Integer, byte[]>>> models = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        models.add(pool.submit(() -> {
          start.await();
          return run(cache, thread, 20_000 * rounds, 8192);
        }));
      }
      List<Map<Integer, byte[]>> results = new ArrayList<>();
      for (Future<Map<Integer, byte[]>> model : models) {
        results.add(model.get(5, TimeUnit.MINUTES));
      }
      pool.shutdown();

      for (Map<Integer, byte[]> model : results) {
        for (Map.Entry<Integer, byte[]> e : model.entrySet()) {
          byte[] actual = cache.get(e.getKey());
          if (e.getValue() == null) {
            assertThat(actual).as("removed key %d", e.getKey()).isNull();
          } else if (actual != null) {
            assertThat(actual).as("key %d", e.getKey()).isEqualTo(e.getValue());
          }
        }
      }
      for (int k = SHARED_BASE; k < SHARED_BASE + SHARED_KEYS; k++) {
        byte[] shared = cache.get(k);
        if (shared != null) {
          assertWellFormed(k, shared);
        }
      }
      cache.drainEvictions();
      long live = 0;
      for (var ignored : cache) {
        live++;
      }
      assertThat(cache.estimatedSize()).isEqualTo(live);
      assertThat(cache.statistics().getCacheEvictions()).isEqualTo(cache.regionStats().evictions());
      assertThat(cache.regionStats().evictions()).isPositive();
      assertThat(cache.regionStats().liveValues()).isEqualTo(live);
    }
  }

  /**
   * Puts, gets, getAndPuts and invokes of values up to 64 KiB in a 256 KiB region, so that nearly
   * every write evicts and the writes and reads in progress of the other threads pin a good part of
   * the region: a put waits for those pins, and never fails for lack of room. Every read is the
   * thread's own last value for the key, or absent.
   */
  @Test
  void writesAndReads_inARegionOfFourLargeValues_neverFailForLackOfRoom() throws Exception {
    int opsPerThread = 500_000 * Integer.getInteger("stress.rounds", 1);
    try (WeakAllocCacheManager manager = TestCaches.newManager()) {
      var config = new WeakAllocConfiguration<Integer, byte[]>().setOwnRegion(256 << 10);
      config.setTypes(Integer.class, byte[].class).setStatisticsEnabled(true);
      WeakAllocCache<Integer, byte[]> cache = TestCaches.unwrap(manager.createCache("tight", config));
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<Map<Integer, byte[]>>> models = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        models.add(pool.submit(() -> run(cache, thread, opsPerThread, 64 << 10)));
      }
      for (Future<Map<Integer, byte[]>> model : models) {
        model.get(5, TimeUnit.MINUTES); // a put that failed for lack of room fails here
      }
      pool.shutdown();
      assertThat(cache.regionStats().failedAllocations()).isZero();
      assertThat(cache.statistics().getCachePuts()).isGreaterThan(opsPerThread);
      assertThat(cache.regionStats().evictions()).isGreaterThan(opsPerThread / 4);
    }
  }

  /** One thread's operations; returns its model (null value = known absent). */
  private static Map<Integer, byte[]> run(
      WeakAllocCache<Integer, byte[]> cache, int thread, int ops, int maxValue) {
    SplittableRandom random = new SplittableRandom(thread);
    Map<Integer, byte[]> model = new HashMap<>();
    int base = thread * 10_000;
    int version = 0;
    for (int i = 0; i < ops; i++) {
      int op = random.nextInt(100);
      if (op < 10) {
        int k = SHARED_BASE + random.nextInt(SHARED_KEYS);
        if (op < 5) {
          cache.put(k, value(k, version++, random.nextInt(64, maxValue)));
        } else {
          byte[] shared = cache.get(k);
          if (shared != null) {
            assertWellFormed(k, shared);
          }
        }
        continue;
      }
      int k = base + random.nextInt(KEYS_PER_THREAD);
      if (op < 40) {
        byte[] v = value(k, version++, random.nextInt(64, maxValue));
        cache.put(k, v);
        model.put(k, v);
      } else if (op < 75) {
        check(k, cache.get(k), model);
      } else if (op < 85) {
        boolean removed = cache.remove(k);
        if (model.get(k) == null) {
          assertThat(removed).as("remove of absent key %d", k).isFalse();
        }
        model.put(k, null);
      } else if (op < 92) {
        byte[] v = value(k, version++, random.nextInt(64, maxValue));
        check(k, cache.getAndPut(k, v), model);
        model.put(k, v);
      } else {
        byte[] v = value(k, version++, random.nextInt(64, maxValue));
        byte[] previous = cache.invoke(k, (entry, args) -> {
          byte[] old = entry.getValue();
          entry.setValue(v);
          return old;
        });
        check(k, previous, model);
        model.put(k, v);
      }
    }
    return model;
  }

  @Test
  void get_racingWithPutsOfTheSameKeys_alwaysReturnsTheOldOrTheNewValue() throws Exception {
    int gets = 200_000 * Integer.getInteger("stress.rounds", 1);
    try (WeakAllocCacheManager manager = TestCaches.newManager()) {
      var config = new WeakAllocConfiguration<Integer, byte[]>().setOwnRegion(8 << 20);
      config.setTypes(Integer.class, byte[].class);
      WeakAllocCache<Integer, byte[]> cache =
          TestCaches.unwrap(manager.createCache("replacing", config));
      for (int k = 0; k < SHARED_KEYS; k++) {
        cache.put(k, value(k, 0, 256));
      }
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      AtomicBoolean readersDone = new AtomicBoolean();
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS / 2; t++) {
        int writer = t;
        tasks.add(pool.submit(() -> {
          for (int version = 1; !readersDone.get(); version++) {
            int k = version % SHARED_KEYS;
            cache.put(k, value(k, version * 2 + writer, 256));
          }
          return null;
        }));
      }
      List<Future<?>> readers = new ArrayList<>();
      for (int t = 0; t < THREADS / 2; t++) {
        int reader = t;
        readers.add(pool.submit(() -> {
          for (int i = 0; i < gets; i++) {
            int k = (i + reader) % SHARED_KEYS;
            byte[] read = cache.get(k);
            assertThat(read).as("get %d of key %d, which is never absent", i, k).isNotNull();
            assertWellFormed(k, read);
            assertThat(cache.containsKey(k)).as("containsKey %d after get %d", k, i).isTrue();
          }
          return null;
        }));
      }
      try {
        for (Future<?> reader : readers) {
          reader.get(5, TimeUnit.MINUTES);
        }
      } finally {
        readersDone.set(true);
        for (Future<?> task : tasks) {
          task.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();
      }
      assertThat(cache.regionStats().liveValues()).isEqualTo(SHARED_KEYS);
    }
  }

  /** A read is the model's value, or absent; absent means evicted, which the model records. */
  private static void check(int k, byte[] actual, Map<Integer, byte[]> model) {
    byte[] expected = model.get(k);
    if (expected == null) {
      assertThat(actual).as("absent key %d", k).isNull();
    } else if (actual == null) {
      model.put(k, null); // evicted: stays absent until written again
    } else {
      assertThat(actual).as("key %d", k).isEqualTo(expected);
    }
  }

  private static byte[] value(int key, int version, int size) {
    ByteBuffer buffer = ByteBuffer.allocate(size);
    buffer.putInt(key).putInt(version);
    while (buffer.hasRemaining()) {
      buffer.put((byte) (key ^ version ^ buffer.position()));
    }
    return buffer.array();
  }

  private static void assertWellFormed(int key, byte[] value) {
    ByteBuffer buffer = ByteBuffer.wrap(value);
    assertThat(buffer.getInt()).isEqualTo(key);
    int version = buffer.getInt();
    while (buffer.hasRemaining()) {
      int position = buffer.position();
      assertThat(buffer.get()).isEqualTo((byte) (key ^ version ^ position));
    }
  }
}
