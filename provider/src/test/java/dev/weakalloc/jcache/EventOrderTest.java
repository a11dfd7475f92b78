package dev.weakalloc.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Events of one key arrive in the order of the operations that caused them: two threads put one
 * key over and over, and a listener of updates with old values sees a chain, each event's old
 * value the previous event's new value, synchronous or asynchronous.
 *
 * <p>Each thread puts {@code 50,000 * stress.rounds} times; run longer with {@code
 * -Dstress.rounds=10}.
 */
class EventOrderTest {
  private static final int PUTS = 50_000 * Integer.getInteger("stress.rounds", 1);
  private static final List<String[]> EVENTS = new ArrayList<>();
  private static CountDownLatch delivered;

  private final WeakAllocCacheManager manager = TestCaches.newManager();

  @AfterEach
  void close() {
    manager.close();
  }

  /** Records each update as {old, new}; one instance per registration. */
  public static final class Recorder implements CacheEntryUpdatedListener<Integer, String> {
    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {
      synchronized (EVENTS) {
        for (CacheEntryEvent<? extends Integer, ? extends String> event : events) {
          EVENTS.add(new String[] {event.getOldValue(), event.getValue()});
          delivered.countDown();
        }
      }
    }
  }

  @ParameterizedTest(name = "synchronous {0}")
  @ValueSource(booleans = {true, false})
  void updatesOfOneKeyFromTwoThreads_chainOldToNew(boolean synchronous) throws Exception {
    EVENTS.clear();
    delivered = new CountDownLatch(2 * PUTS);
    var config = new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class);
    config.addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(Recorder.class), null, true, synchronous));
    Cache<Integer, String> cache = manager.createCache("ordered-" + synchronous, config);
    cache.put(1, "start");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int thread = t;
      writers.add(pool.submit(() -> {
        for (int i = 0; i < PUTS; i++) {
          cache.put(1, thread + "-" + i);
        }
      }));
    }
    for (Future<?> writer : writers) {
      writer.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertThat(delivered.await(1, TimeUnit.MINUTES)).as("every update delivered").isTrue();

    synchronized (EVENTS) {
      assertThat(EVENTS).hasSize(2 * PUTS);
      String previous = "start";
      int broken = 0;
      for (String[] event : EVENTS) {
        if (!event[0].equals(previous)) {
          broken++;
        }
        previous = event[1];
      }
      assertThat(broken).as("updates whose old value is not the previous update's new value").isZero();
      assertThat(previous).isEqualTo(cache.get(1));
    }
  }
}
