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
 * The layout that used to empty a cache, through {@code javax.cache}: a cache with its own 64 MiB
 * region (two chunks of the default 32 MiB) full of 1 KiB values, and two {@code put}s in progress,
 * held inside the codec's {@code writeTo}, whose new values sit in the middle of each chunk (each
 * took the block of a value removed just before). Reads pin nothing (they are validated copies),
 * but a write in progress pins its block. A put that no run between those blocks can hold (more
 * than half a chunk) waits for them a while, then fails, and the cache keeps every entry; a put
 * that fits beside them evicts about its own size.
 */
class EvictionPlanThroughJCacheTest {
  private static final int VALUE = 1024;
  /** The region's chunk: the default, 32 MiB (the largest value a region holds). */
  private static final long CHUNK = 32L << 20;
  /** 1 KiB values (1040-byte blocks) in a chunk with its header room (1/256 of it). */
  private static final int PER_CHUNK = (int) ((CHUNK + CHUNK / 256) / (VALUE + 16));
  /** More than the run on either side of a held write: half a chunk and 1 MiB. */
  private static final int TOO_LARGE = (int) (CHUNK / 2) + (1 << 20);
  private static final List<Integer> MIDDLES = List.of(PER_CHUNK / 2, PER_CHUNK + PER_CHUNK / 2);

  private final WeakAllocCacheManager manager = TestCaches.newManager();
  private final ExecutorService writers = Executors.newFixedThreadPool(2);
  private final CountDownLatch releaseWrites = new CountDownLatch(1);
  private final AtomicInteger writesToHold = new AtomicInteger();
  private volatile CountDownLatch writeStarted;

  @AfterEach
  void close() {
    releaseWrites.countDown();
    writers.shutdownNow();
    manager.close();
  }

  /** Byte arrays as they are, but a write blocks while {@link #writesToHold} is positive. */
  private final Codec<byte[]> holdingCodec = new Codec<>() {
    @Override
    public Encoding encode(byte[] value) {
      Encoding bytes = Codecs.bytes().encode(value);
      return new Encoding() {
        @Override
        public long byteSize() {
          return bytes.byteSize();
        }

        @Override
        public void writeTo(MemorySegment target) {
          if (writesToHold.getAndDecrement() > 0) {
            writeStarted.countDown();
            try {
              releaseWrites.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          bytes.writeTo(target);
        }
      };
    }

    @Override
    public byte[] decode(MemorySegment bytes) {
      return Codecs.bytes().decode(bytes);
    }
  };

  private WeakAllocCache<Integer, byte[]> fullCacheWithAWriteHeldInEachChunk() throws Exception {
    var config = new WeakAllocConfiguration<Integer, byte[]>().setOwnRegion(2 * CHUNK).setCodec(holdingCodec);
    config.setTypes(Integer.class, byte[].class).setStatisticsEnabled(true);
    WeakAllocCache<Integer, byte[]> cache = TestCaches.unwrap(manager.createCache("plan", config));
    for (int k = 0; k < 2 * PER_CHUNK; k++) {
      cache.put(k, bytes(VALUE, k));
    }
    assertThat(cache.regionStats().evictions()).as("the two chunks hold every value").isZero();
    for (int middle : MIDDLES) {
      cache.remove(middle);
      writeStarted = new CountDownLatch(1);
      writesToHold.set(1);
      writers.submit(() -> cache.put(-middle, bytes(VALUE, -middle))); // takes the removed block
      assertThat(writeStarted.await(10, TimeUnit.SECONDS)).isTrue();
    }
    return cache;
  }

  private static void assertEveryEntryButTheMiddlesIsThere(WeakAllocCache<Integer, byte[]> cache) {
    for (int k = 0; k < 2 * PER_CHUNK; k++) {
      if (!MIDDLES.contains(k)) {
        assertThat(cache.containsKey(k)).as("key %d", k).isTrue();
      }
    }
  }

  @Test
  void put_thatNoRunBetweenHeldWritesCanHold_failsAndTheCacheKeepsEveryEntry() throws Exception {
    WeakAllocCache<Integer, byte[]> cache = fullCacheWithAWriteHeldInEachChunk();
    Set<Integer> evicted = ConcurrentHashMap.newKeySet();
    cache.addEvictionListener(evicted::add);

    assertThatThrownBy(() -> cache.put(-1, new byte[TOO_LARGE]))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("cache plan, key -1: ")
        .hasMessageContaining("value of " + TOO_LARGE + " bytes")
        .hasMessageContaining("0 pinned by open ArcRefs and " + (2 * VALUE) + " by reads or writes in progress")
        .hasMessageContaining("nothing was evicted");

    cache.drainEvictions();
    assertThat(evicted).isEmpty();
    assertThat(cache.statistics().getCacheEvictions()).isZero();
    assertThat(cache.containsKey(-1)).isFalse();
    assertEveryEntryButTheMiddlesIsThere(cache);
    releaseWrites.countDown();
    writers.shutdown();
    assertThat(writers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    for (int middle : MIDDLES) {
      assertThat(cache.get(-middle)).isEqualTo(bytes(VALUE, -middle));
    }
    for (int k = 0; k < 2 * PER_CHUNK; k += 101) {
      assertThat(cache.get(k)).as("key %d", k).isEqualTo(MIDDLES.contains(k) ? null : bytes(VALUE, k));
    }
  }

  @Test
  void put_thatFitsBesideHeldWrites_evictsAboutItsOwnSize() throws Exception {
    WeakAllocCache<Integer, byte[]> cache = fullCacheWithAWriteHeldInEachChunk();
    int size = 7 << 20;

    cache.put(-1, bytes(size, -1));

    cache.drainEvictions();
    long evictions = cache.statistics().getCacheEvictions();
    assertThat(evictions * (VALUE + 16)).as("evicted blocks: the request and at most one block more on each side")
        .isBetween((long) size - 2 * (VALUE + 16), size + 16 + 2L * (VALUE + 16));
    assertThat(cache.get(-1)).isEqualTo(bytes(size, -1));
  }
}
