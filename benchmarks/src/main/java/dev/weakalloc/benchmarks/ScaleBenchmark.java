package dev.weakalloc.benchmarks;

import dev.weakalloc.MemoryAllocator;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * What a hit costs as the cache grows: throughput of a JCache {@code get} hit at 10^4 to 10^7
 * entries, every key present, beside a plain {@code ConcurrentHashMap<Integer, byte[]>} that
 * returns heap copies for the same workload. Past what fits in the CPU's caches and TLB, every
 * get of every side misses in them; what this shows is whether ours falls further than a plain map
 * does (issue 13, item 4: it should not).
 *
 * <ul>
 *   <li>{@code side=weakAlloc}: this project's provider, a region of its own sized so that nothing
 *       is evicted ({@link ProviderCaches#WEAK_ALLOC}).
 *   <li>{@code side=heapCopies}: {@code ConcurrentHashMap.get(key).clone()}: the value on the heap,
 *       a copy returned, nothing else (no eviction order, no statistics, no JCache).
 *   <li>{@code side=caffeineJCache}: Caffeine's JCache provider, store-by-value ({@link
 *       ProviderCaches#CAFFEINE_JCACHE}).
 * </ul>
 *
 * <p><b>Values:</b> {@link #valueBytes} bytes; {@code auto} means 1 KiB up to 10^6 entries
 * (1 GiB of values) and 256 B above, so that 10^7 entries (2.5 GiB of values) fit a fork of
 * under 8 GiB on the heap side, which holds them on its heap. <b>Keys</b> are uniform over all
 * entries (a precomputed stream of {@value #STREAM_LENGTH} indices, boxed in the measured code, as
 * a caller that holds an {@code int} would): uniform keys make every get past the caches' size a
 * cache and TLB miss, which is the cost that grows with the entries; a Zipf stream would keep the
 * hot keys cached and hide it.
 *
 * <p><b>Fill:</b> {@code putAll} in batches of {@value #FILL_BATCH} (the heap side {@code put}s
 * the arrays themselves); 10^7 entries take 10 to 30 s. Tear-down checks that a sample of keys
 * still hits.
 *
 * <p>Thread safety: the cache is shared by all benchmark threads ({@link Scope#Benchmark}); each
 * thread has its own {@link Cursor}. Memory: the provider sides' values live in their cache (off
 * the heap for ours), released by {@link #tearDown()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx5g"})
public class ScaleBenchmark {
  /** The side name of the plain map with heap copies. */
  static final String HEAP_COPIES = "heapCopies";
  static final int STREAM_LENGTH = 1 << 22;
  static final int FILL_BATCH = 1 << 16;
  /** Above this many entries, {@code valueBytes=auto} means {@value #SMALL_VALUE} bytes. */
  static final int LARGE_ENTRIES = 1_000_000;
  static final int LARGE_VALUE = 1024;
  static final int SMALL_VALUE = 256;
  private static final int VERIFIED_KEYS = 100_000;

  /** Which cache: {@code weakAlloc}, {@code heapCopies} or {@code caffeineJCache}. */
  @Param({ProviderCaches.WEAK_ALLOC, HEAP_COPIES, ProviderCaches.CAFFEINE_JCACHE})
  public String side;

  /** The number of entries, all present. */
  @Param({"10000", "100000", "1000000", "10000000"})
  public int entries;

  /** The value size in bytes, or {@code auto}: 1 KiB up to 10^6 entries, 256 B above. */
  @Param("auto")
  public String valueBytes;

  int[] stream;
  int size;
  ByteCache cache;
  ConcurrentHashMap<Integer, byte[]> map;

  /** {@return the value size for {@code entries} when {@code valueBytes} is {@code auto}} */
  static int autoValueBytes(int entries) {
    return entries <= LARGE_ENTRIES ? LARGE_VALUE : SMALL_VALUE;
  }

  /** {@return a region budget that holds {@code entries} values of {@code size} bytes unevicted} */
  static long budget(int entries, int size) {
    long block;
    try (MemoryAllocator probe = MemoryAllocator.region(1L << 20)) {
      block = probe.blockSize(size);
    }
    return entries * block * 5 / 4 + (64L << 20); // committed as it fills: the slack costs nothing
  }

  /** {@return the value stored under key {@code key}: its number in the first four bytes} */
  static byte[] value(int key, int size) {
    byte[] value = new byte[size];
    ByteBuffer.wrap(value).putInt(key).putInt(size - 4, ~key);
    return value;
  }

  /** Fills the cache with {@link #entries} values; precomputes the uniform key stream. */
  @Setup(Level.Trial)
  public void setUp() {
    size = valueBytes.equals("auto") ? autoValueBytes(entries) : Integer.parseInt(valueBytes);
    stream = Workloads.uniformIndices(STREAM_LENGTH, entries, 42);
    if (side.equals(HEAP_COPIES)) {
      map = new ConcurrentHashMap<>(entries * 4 / 3 + 1);
      for (int i = 0; i < entries; i++) {
        map.put(i, value(i, size));
      }
      return;
    }
    cache = ProviderCaches.create(side, "scale-" + side, budget(entries, size));
    Map<Integer, byte[]> batch = new HashMap<>(FILL_BATCH * 4 / 3 + 1);
    for (int i = 0; i < entries; i++) {
      batch.put(i, value(i, size));
      if (batch.size() == FILL_BATCH || i == entries - 1) {
        cache.putAll(batch);
        batch.clear();
      }
    }
  }

  /** Checks that a sample of the keys still hits with its own value, then releases the cache. */
  @TearDown(Level.Trial)
  public void tearDown() {
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 0; n < Math.min(entries, VERIFIED_KEYS); n++) {
      int key = random.nextInt(entries);
      byte[] value = lookUp(key);
      if (value == null || ByteBuffer.wrap(value).getInt() != key) {
        throw new IllegalStateException(side + " lost or garbled key " + key + " of " + entries);
      }
    }
    if (cache != null) {
      long evictions = cache.evictions();
      cache.destroy();
      if (evictions > 0) {
        throw new IllegalStateException(side + " evicted " + evictions + " values: size the region up");
      }
    }
    map = null;
  }

  private byte[] lookUp(int key) {
    if (map != null) {
      byte[] value = map.get(key);
      return value == null ? null : value.clone();
    }
    return cache.get(key);
  }

  /** Per-thread position in the shared key stream. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    /** Starts each thread at its own offset of the stream. */
    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
      start(thread.getThreadIndex());
    }

    void start(int threadIndex) {
      next = threadIndex * (STREAM_LENGTH / 7);
    }

    int nextKey(ScaleBenchmark benchmark) {
      return benchmark.stream[next++ & (STREAM_LENGTH - 1)];
    }
  }

  /** A hit: a fresh copy of the key's value, through the side's own {@code get}. */
  @Benchmark
  public byte[] get(Cursor cursor) {
    return lookUp(cursor.nextKey(this));
  }
}
