package dev.weakalloc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each benchmark's code path a few times without JMH: the fixtures and benchmark methods are
 * called directly, with small parameters, so that {@code ./mvnw verify} proves they work. Timing
 * is not checked.
 */
class BenchmarkSmokeTest {

  @Test
  void hitBenchmark_everyMethodHitsAndCopiesTheValue() {
    HitBenchmark benchmark = new HitBenchmark();
    benchmark.keys = 256;
    benchmark.setUp();
    HitBenchmark.Cursor cursor = new HitBenchmark.Cursor();
    cursor.setUp(benchmark);
    for (int i = 0; i < 1000; i++) {
      int key = benchmark.sequence[cursor.next & (HitBenchmark.SEQUENCE_LENGTH - 1)];
      byte[] expected = Workloads.filled(HitBenchmark.VALUE_SIZE, key);
      byte[] actual =
          switch (i % 5) {
            case 0 -> benchmark.weakAlloc_upgrade(cursor).clone();
            case 1 -> benchmark.weakAlloc_getIfPresent(cursor);
            case 2 -> benchmark.caffeine_copy(cursor).clone();
            case 3 -> benchmark.weakAlloc_readIfPresent(cursor).clone();
            default -> benchmark.caffeine_clone(cursor);
          };
      assertThat(actual).isEqualTo(expected);
    }
    benchmark.tearDown();
  }

  @Test
  void giveBenchmark_evictsAndReportsUtilization() {
    GiveBenchmark benchmark = new GiveBenchmark();
    benchmark.budgetMiB = 8;
    benchmark.distinctValues = 64;
    benchmark.setUp(null);
    benchmark.fillUntilFirstEviction();
    GiveBenchmark.Cursor cursor = new GiveBenchmark.Cursor();
    cursor.setUp(benchmark);
    for (int i = 0; i < 300; i++) { // a warm-up and a measured "iteration"
      benchmark.weakAlloc_give(cursor);
      benchmark.caffeine_put(cursor);
      benchmark.caffeine_putCopy(cursor);
      if (i == 150) {
        benchmark.startIteration(null);
      }
    }
    benchmark.endIteration(null);
    String report = benchmark.report();
    System.out.println(report);
    assertThat(benchmark.alloc.stats().evictions()).isPositive();
    assertThat(report).contains("weakAlloc: utilization").contains("caffeine: utilization");
    benchmark.tearDown();
  }

  @Test
  void hitRatioBenchmark_countsHitsAndMisses() {
    HitRatioBenchmark benchmark = new HitRatioBenchmark();
    benchmark.keys = 2_000;
    benchmark.requests = 20_000;
    benchmark.exponent = 0.99;
    benchmark.budgetFraction = 0.25;
    benchmark.setUp();
    HitCounters counters = new HitCounters();
    for (int i = 0; i < 3000; i++) {
      benchmark.exactLru(counters);
      benchmark.weakAlloc(counters);
      benchmark.caffeine(counters);
    }
    assertThat(counters.hits).isPositive();
    assertThat(counters.misses).isPositive();
    counters.print();
    benchmark.tearDown();
  }

  @Test
  void hitRatio_approximateLruWithinOnePointOfExactLru() {
    List<HitRatio.Row> rows = HitRatio.run(100_000, 10_000, 0.99, 0.25);
    HitRatio.print(rows, 100_000, 10_000, 0.99, 0.25, System.out);
    assertOursWithinOnePointOfExactLru(rows);
  }

  /**
   * The README's large-value run, scaled down: 1 MiB values in a 16 MiB budget, which a region of
   * one 16 MiB chunk must hold sixteen of, headers and all, to match the exact LRU.
   */
  @Test
  void hitRatio_largeValues_packAChunkAndStayWithinOnePointOfExactLru() {
    List<HitRatio.Row> rows = HitRatio.run(2_000, 256, 0.99, 0.0625, 1 << 20);
    HitRatio.print(rows, 2_000, 256, 0.99, 0.0625, 1 << 20, System.out);
    assertOursWithinOnePointOfExactLru(rows);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ProviderCaches.WEAK_ALLOC, ProviderCaches.WEAK_ALLOC_TINY_LFU, ProviderCaches.CAFFEINE_JCACHE,
        ProviderCaches.CAFFEINE_JCACHE_INLINE,
        ProviderCaches.EHCACHE, ProviderCaches.OHC
      })
  void providerGetBenchmark_everyGetHitsAndReturnsACopy(String side) {
    ProviderGetBenchmark benchmark = new ProviderGetBenchmark();
    benchmark.side = side;
    benchmark.keys = 1_000;
    benchmark.setUp();
    ProviderGetBenchmark.Cursor cursor = new ProviderGetBenchmark.Cursor();
    cursor.setUp(benchmark);
    for (int i = 0; i < 2_000; i++) {
      int key = benchmark.stream[cursor.next & (ProviderGetBenchmark.STREAM_LENGTH - 1)];
      byte[] first = benchmark.get(cursor);
      assertThat(first).isEqualTo(Workloads.filled(ProviderGetBenchmark.VALUE_SIZE, key));
      first[0]++; // a copy: changing it changes nothing in the cache
      assertThat(benchmark.cache.get(benchmark.keyObjects[key]))
          .isEqualTo(Workloads.filled(ProviderGetBenchmark.VALUE_SIZE, key));
    }
    benchmark.tearDown();
    assertThat(benchmark.cache.isClosed()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {ProviderCaches.WEAK_ALLOC, ScaleBenchmark.HEAP_COPIES, ProviderCaches.CAFFEINE_JCACHE})
  void scaleBenchmark_everyGetHitsWithItsKeysValue(String side) {
    ScaleBenchmark benchmark = new ScaleBenchmark();
    benchmark.side = side;
    benchmark.entries = ScaleBenchmark.FILL_BATCH + 1_000; // two putAll batches
    benchmark.valueBytes = "auto";
    benchmark.setUp();
    ScaleBenchmark.Cursor cursor = new ScaleBenchmark.Cursor();
    cursor.start(0);
    for (int i = 0; i < 2_000; i++) {
      int key = benchmark.stream[cursor.next & (ScaleBenchmark.STREAM_LENGTH - 1)];
      assertThat(benchmark.get(cursor)).isEqualTo(ScaleBenchmark.value(key, ScaleBenchmark.LARGE_VALUE));
    }
    benchmark.tearDown();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      ProviderCaches.WEAK_ALLOC, ProviderCaches.CAFFEINE_JCACHE, ProviderCaches.EHCACHE, ProviderCaches.OHC})
  void providerPutBenchmark_replacesValues(String side) {
    ProviderPutBenchmark benchmark = new ProviderPutBenchmark();
    benchmark.side = side;
    benchmark.keys = 1_000;
    benchmark.setUp();
    ProviderPutBenchmark.Cursor cursor = new ProviderPutBenchmark.Cursor();
    cursor.setUp(benchmark);
    for (int i = 0; i < 2_000; i++) {
      int index = cursor.next;
      benchmark.put(cursor);
      Integer key = benchmark.keyObjects[benchmark.sequence[index & (ProviderPutBenchmark.SEQUENCE_LENGTH - 1)]];
      assertThat(benchmark.cache.get(key))
          .isEqualTo(benchmark.values[index & (ProviderPutBenchmark.VALUES - 1)]);
    }
    if (side.equals(ProviderCaches.WEAK_ALLOC)) {
      assertThat(benchmark.cache.evictions()).isZero();
    }
    benchmark.tearDown();
  }

  @Test
  void offHeapFloorBenchmark_getsTheValuesAndPutsOverwriteThem() {
    OffHeapFloorBenchmark benchmark = new OffHeapFloorBenchmark();
    benchmark.keys = 1_000;
    benchmark.setUp();
    OffHeapFloorBenchmark.Cursor cursor = new OffHeapFloorBenchmark.Cursor();
    cursor.setUp(benchmark);
    for (int i = 0; i < 2_000; i++) {
      int key = benchmark.stream[cursor.next & (ProviderGetBenchmark.STREAM_LENGTH - 1)];
      assertThat(benchmark.get(cursor)).isEqualTo(Workloads.filled(OffHeapFloorBenchmark.VALUE_SIZE, key));
    }
    for (int i = 0; i < 2_000; i++) {
      int index = cursor.next;
      benchmark.put(cursor);
      int key = benchmark.sequence[index & (ProviderPutBenchmark.SEQUENCE_LENGTH - 1)];
      OffHeapFloorBenchmark.Place place = benchmark.places.get(benchmark.keyObjects[key]);
      assertThat(place.chunk().asSlice(place.offset(), OffHeapFloorBenchmark.VALUE_SIZE).toArray(ValueLayout.JAVA_BYTE))
          .isEqualTo(benchmark.values[index & (ProviderPutBenchmark.VALUES - 1)]);
    }
    benchmark.tearDown();
  }

  @Test
  void handleFloorBenchmark_putsPublishNewHandlesAndRetireTheOldOnes() {
    HandleFloorBenchmark benchmark = new HandleFloorBenchmark();
    benchmark.keys = 1_000;
    benchmark.setUp();
    HandleFloorBenchmark.Cursor cursor = new HandleFloorBenchmark.Cursor();
    cursor.setUp(benchmark);
    for (int i = 0; i < 2_000; i++) {
      int index = cursor.next;
      Integer key = benchmark.keyObjects[benchmark.sequence[index & (ProviderPutBenchmark.SEQUENCE_LENGTH - 1)]];
      HandleFloorBenchmark.Handle before = benchmark.handles.get(key);
      benchmark.put(cursor);
      HandleFloorBenchmark.Handle after = benchmark.handles.get(key);
      assertThat(after).isNotSameAs(before);
      assertThat(before.state).as("the old handle is retired").isEqualTo(1);
      assertThat(after.chunk.asSlice(after.offset, HandleFloorBenchmark.VALUE_SIZE).toArray(ValueLayout.JAVA_BYTE))
          .isEqualTo(benchmark.values[index & (ProviderPutBenchmark.VALUES - 1)]);
    }
    benchmark.tearDown();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      ProviderCaches.WEAK_ALLOC, ProviderCaches.WEAK_ALLOC_TINY_LFU, ProviderCaches.CAFFEINE_JCACHE,
      ProviderCaches.EHCACHE, ProviderCaches.OHC})
  void providerCacheAsideBenchmark_hitsMissesAndEvicts(String side) {
    ProviderCacheAsideBenchmark benchmark = new ProviderCacheAsideBenchmark();
    benchmark.side = side;
    benchmark.keys = 16_384;
    benchmark.budgetMiB = 4;
    benchmark.requests = 1 << 16;
    benchmark.setUp();
    ProviderCacheAsideBenchmark.Cursor cursor = new ProviderCacheAsideBenchmark.Cursor();
    cursor.setUp(benchmark);
    HitCounters counters = new HitCounters();
    for (int i = 0; i < 30_000; i++) {
      benchmark.getElsePut(cursor, counters);
    }
    assertThat(counters.hits).isPositive();
    assertThat(counters.misses).isPositive();
    if (side.equals(ProviderCaches.WEAK_ALLOC)) {
      assertThat(benchmark.cache.evictions()).isPositive();
    }
    counters.print();
    benchmark.tearDown();
  }

  @Test
  void providerHitRatio_weakAllocWithinOnePointOfExactLru() {
    List<HitRatio.Row> rows = ProviderHitRatio.run(200_000, 16_384, 0.99, 4);
    ProviderHitRatio.print(rows, 200_000, 16_384, 0.99, 4, System.out);
    assertThat(rows).hasSize(5);
    assertOursWithinOnePointOfExactLru(rows);
    // Admission keeps the popular keys on Zipf: more hits than LRU.
    assertThat(rows.get(3).name()).isEqualTo("weak-alloc JCache TinyLFU");
    assertThat(rows.get(3).ratio()).isGreaterThan(rows.get(2).ratio());
    assertThat(rows.get(4).ratio()).isPositive();
  }

  @Test
  void nearCacheBenchmark_nearHitsAndClientGetsReturnTheSameValues() {
    NearCacheBenchmark benchmark = new NearCacheBenchmark();
    benchmark.keys = 64;
    benchmark.setUp();
    try {
      NearCacheBenchmark.Cursor near = new NearCacheBenchmark.Cursor();
      NearCacheBenchmark.Cursor client = new NearCacheBenchmark.Cursor();
      for (int i = 0; i < 2 * benchmark.keys; i++) {
        assertThat(benchmark.nearHit(near)).isEqualTo(benchmark.clientGet(client));
      }
      assertThat(benchmark.tier.near.nearStatistics().hitCount()).isEqualTo(2 * benchmark.keys);
    } finally {
      benchmark.tearDown(); // throws if any near get missed
    }
  }

  @Test
  void nearHitRatio_withinOnePointOfExactLru() {
    NearHitRatio.Result result = NearHitRatio.run(20_000, 2_048, 0.99);
    System.out.println(result.line());
    assertThat(result.near()).isBetween(result.exactLruBlock() - 0.01, result.exactLruBlock() + 0.01);
  }

  /** Rows: exact LRU (payload), exact LRU (block), weak-alloc, then others (Caffeine...). */
  private static void assertOursWithinOnePointOfExactLru(List<HitRatio.Row> rows) {
    assertThat(rows).hasSizeGreaterThanOrEqualTo(4);
    double exact = rows.get(0).ratio();
    double ours = rows.get(2).ratio();
    assertThat(ours).isBetween(exact - 0.01, exact + 0.01);
  }
}
