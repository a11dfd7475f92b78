package dev.weakalloc.jcache;

import static dev.weakalloc.jcache.TestCaches.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.Codec;
import dev.weakalloc.Codecs;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The layout that used to empty a cache, through {@code javax.cache}: a cache with its own 32 MiB
 * region (two chunks of 16 MiB) full of 1 KiB values, and two {@code get}s in progress, held
 * inside the codec's {@code decode}, one in the middle of each chunk. A put that no run between
 * them can hold waits for those reads a while, then fails, and the cache keeps every entry; a put
 * that fits beside them evicts about its own size.
 */
class EvictionPlanThroughJCacheTest {
  private static final int VALUE = 1024;
  /** 1 KiB values (1040-byte blocks) in a 16 MiB chunk with its 64 KiB header room. */
  private static final int PER_CHUNK = (int) (((16L << 20) + (64 << 10)) / (VALUE + 16));

  private final WeakAllocCacheManager manager = TestCaches.newManager();
  private final ExecutorService readers = Executors.newFixedThreadPool(2);
  private final CountDownLatch readsStarted = new CountDownLatch(2);
  private final CountDownLatch releaseReads = new CountDownLatch(1);
  private final AtomicInteger readsToHold = new AtomicInteger();

  @AfterEach
  void close() {
    releaseReads.countDown();
    readers.shutdownNow();
    manager.close();
  }

  /** Byte arrays as they are, but a decode blocks while {@link #readsToHold} is positive. */
  private final Codec<byte[]> holdingCodec = new Codec<>() {
    @Override
    public Encoding encode(byte[] value) {
      return Codecs.bytes().encode(value);
    }

    @Override
    public byte[] decode(MemorySegment bytes) {
      if (readsToHold.getAndDecrement() > 0) {
        readsStarted.countDown();
        try {
          releaseReads.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Codecs.bytes().decode(bytes);
    }
  };

  private WeakAllocCache<Integer, byte[]> fullCacheWithAReadHeldInEachChunk() throws Exception {
    var config = new WeakAllocConfiguration<Integer, byte[]>().setOwnRegion(32 << 20).setCodec(holdingCodec);
    config.setTypes(Integer.class, byte[].class).setStatisticsEnabled(true);
    WeakAllocCache<Integer, byte[]> cache = TestCaches.unwrap(manager.createCache("plan", config));
    for (int k = 0; k < 2 * PER_CHUNK; k++) {
      cache.put(k, bytes(VALUE, k));
    }
    assertThat(cache.regionStats().evictions()).as("the two chunks hold every value").isZero();
    readsToHold.set(2);
    for (int k : List.of(PER_CHUNK / 2, PER_CHUNK + PER_CHUNK / 2)) {
      readers.submit(() -> cache.get(k));
    }
    assertThat(readsStarted.await(10, TimeUnit.SECONDS)).isTrue();
    return cache;
  }

  @Test
  void put_thatNoRunBetweenHeldReadsCanHold_failsAndTheCacheKeepsEveryEntry() throws Exception {
    WeakAllocCache<Integer, byte[]> cache = fullCacheWithAReadHeldInEachChunk();
    Set<Integer> evicted = ConcurrentHashMap.newKeySet();
    cache.addEvictionListener(evicted::add);

    assertThatThrownBy(() -> cache.put(-1, new byte[9 << 20]))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("cache plan, key -1: ")
        .hasMessageContaining("value of " + (9 << 20) + " bytes")
        .hasMessageContaining((2 * VALUE) + " by reads or writes in progress")
        .hasMessageContaining("nothing was evicted");

    cache.drainEvictions();
    assertThat(evicted).isEmpty();
    assertThat(cache.statistics().getCacheEvictions()).isZero();
    assertThat(cache.estimatedSize()).isEqualTo(2 * PER_CHUNK);
    assertThat(cache.containsKey(-1)).isFalse();
    releaseReads.countDown();
    for (int k = 0; k < 2 * PER_CHUNK; k += 101) {
      assertThat(cache.get(k)).as("key %d", k).isEqualTo(bytes(VALUE, k));
    }
  }

  @Test
  void put_thatFitsBesideHeldReads_evictsAboutItsOwnSize() throws Exception {
    WeakAllocCache<Integer, byte[]> cache = fullCacheWithAReadHeldInEachChunk();
    int size = 7 << 20;

    cache.put(-1, bytes(size, -1));

    cache.drainEvictions();
    long evictions = cache.statistics().getCacheEvictions();
    assertThat(evictions * (VALUE + 16)).as("evicted blocks: the request and at most one block more on each side")
        .isBetween((long) size, size + 16 + 2L * (VALUE + 16));
    assertThat(cache.estimatedSize()).isEqualTo(2 * PER_CHUNK - evictions + 1);
    releaseReads.countDown();
    assertThat(cache.get(-1)).isEqualTo(bytes(size, -1));
  }
}
