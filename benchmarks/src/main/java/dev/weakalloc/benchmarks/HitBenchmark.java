package dev.weakalloc.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import dev.weakalloc.ArcRef;
import dev.weakalloc.Codecs;
import dev.weakalloc.WeakAlloc;
import dev.weakalloc.WeakAllocStats;
import dev.weakalloc.WeakRef;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * Throughput of a cache hit on a 1 KiB value: the weak allocator against Caffeine, with the same
 * keys, the same key sequence and the same byte budget (64 MiB, far more than the {@link #keys}
 * KiB stored, so nothing is evicted and every lookup hits). Run it with {@code -t 1} and {@code
 * -t 2}.
 *
 * <p>Both sides first look the key up in a {@link ConcurrentHashMap} (ours explicitly, from key
 * to {@link WeakRef}, as a cache built on the allocator does; Caffeine inside its own {@code
 * getIfPresent}). Then:
 *
 * <ul>
 *   <li>{@link #weakAlloc_upgrade}: {@code upgrade()} (pin with an atomic add, record the access
 *       in the lossy read buffer, make an {@link ArcRef}), copy the 1 KiB off-heap value into a
 *       per-thread buffer through {@code bytes().copyTo}, {@code close()} (unpin).
 *   <li>{@link #weakAlloc_readIfPresent}: {@code readIfPresent} (pin with an atomic add, record
 *       the access, call the reader, which copies the value into the per-thread buffer through
 *       its view, unpin): the same work as {@code weakAlloc_upgrade} without an {@link ArcRef}.
 *   <li>{@link #caffeine_copy}: {@code getIfPresent} (record the access in Caffeine's read
 *       buffer), copy the 1 KiB heap array into the same kind of per-thread buffer. The same work
 *       as {@code weakAlloc_upgrade}: a lookup, an access record and a 1 KiB copy out.
 *   <li>{@link #weakAlloc_getIfPresent}: {@code WeakRef.getIfPresent()}: pin, decode into a fresh
 *       1 KiB {@code byte[]}, unpin, record the access. No {@code ArcRef}.
 *   <li>{@link #caffeine_clone}: {@code getIfPresent} then {@code clone()}: a fresh 1 KiB array,
 *       the same work as {@code weakAlloc_getIfPresent}. (Plain Caffeine users would hand out the
 *       shared array without a copy; that is cheaper but not the same contract.)
 * </ul>
 *
 * <p>Keys are drawn uniformly from a precomputed sequence, each thread starting at its own offset.
 *
 * <p>Thread safety: the caches are shared by all benchmark threads ({@link Scope#Benchmark}); each
 * thread has its own {@link Cursor}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HitBenchmark {
  /** The size of every value. */
  public static final int VALUE_SIZE = 1024;

  static final long BUDGET_BYTES = 64L << 20;
  static final int SEQUENCE_LENGTH = 1 << 16;

  /** The number of keys, all present on both sides. A power of two. */
  @Param("4096")
  public int keys;

  Integer[] keyObjects;
  int[] sequence;
  WeakAlloc alloc;
  ConcurrentHashMap<Integer, WeakRef<byte[]>> refs;
  Cache<Integer, byte[]> caffeine;
  private final AtomicInteger threads = new AtomicInteger();

  /** Fills both caches with the same {@code keys} values of {@value #VALUE_SIZE} bytes. */
  @Setup(Level.Trial)
  public void setUp() {
    keyObjects = Workloads.keys(keys);
    sequence = Workloads.uniformIndices(SEQUENCE_LENGTH, keys, 42);
    alloc = WeakAlloc.withCapacity(BUDGET_BYTES);
    refs = new ConcurrentHashMap<>();
    caffeine = Workloads.caffeine(BUDGET_BYTES);
    for (int i = 0; i < keys; i++) {
      byte[] value = Workloads.filled(VALUE_SIZE, i);
      refs.put(keyObjects[i], alloc.give(value, Codecs.bytes()));
      caffeine.put(keyObjects[i], value);
    }
  }

  /** Checks that nothing was evicted or leaked, then releases the region. */
  @TearDown(Level.Trial)
  public void tearDown() {
    WeakAllocStats stats = alloc.stats();
    if (stats.evictions() != 0 || stats.leakedPins() != 0 || caffeine.estimatedSize() != keys) {
      throw new IllegalStateException("a hit benchmark evicted or leaked: " + stats);
    }
    alloc.close();
  }

  /** Per-thread position in the key sequence and a reusable 1 KiB buffer to copy values into. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
    /** Where values are copied out; reachable, so the copy cannot be optimized away. */
    public final byte[] buffer = new byte[VALUE_SIZE];

    /** Starts each thread at a different offset of the shared sequence. */
    @Setup(Level.Trial)
    public void setUp(HitBenchmark benchmark) {
      next = benchmark.threads.getAndIncrement() * (SEQUENCE_LENGTH / 7);
    }

    Integer nextKey(HitBenchmark benchmark) {
      return benchmark.keyObjects[benchmark.sequence[next++ & (SEQUENCE_LENGTH - 1)]];
    }
  }

  /** Ours: map lookup, {@code upgrade()}, copy 1 KiB out through the byte view, {@code close()}. */
  @Benchmark
  public byte[] weakAlloc_upgrade(Cursor cursor) {
    WeakRef<byte[]> ref = refs.get(cursor.nextKey(this));
    try (ArcRef<byte[]> pin = ref.upgrade().orElseThrow()) {
      pin.bytes().copyTo(0, cursor.buffer, 0, VALUE_SIZE);
    }
    return cursor.buffer;
  }

  /**
   * Ours, scoped: map lookup, {@code readIfPresent} (pin, record the access, the reader copies 1
   * KiB out through its view into the per-thread buffer, unpin). No {@code ArcRef}.
   */
  @Benchmark
  public byte[] weakAlloc_readIfPresent(Cursor cursor) {
    byte[] buffer = cursor.buffer;
    return refs.get(cursor.nextKey(this)).readIfPresent(bytes -> {
      bytes.copyTo(0, buffer, 0, VALUE_SIZE);
      return buffer;
    });
  }

  /** Ours, cheaper: map lookup, {@code getIfPresent()} (decodes into a fresh 1 KiB array). */
  @Benchmark
  public byte[] weakAlloc_getIfPresent(Cursor cursor) {
    return refs.get(cursor.nextKey(this)).getIfPresent();
  }

  /** Caffeine: {@code getIfPresent}, copy 1 KiB into the per-thread buffer. */
  @Benchmark
  public byte[] caffeine_copy(Cursor cursor) {
    byte[] value = caffeine.getIfPresent(cursor.nextKey(this));
    System.arraycopy(value, 0, cursor.buffer, 0, VALUE_SIZE);
    return cursor.buffer;
  }

  /** Caffeine: {@code getIfPresent}, then a fresh 1 KiB copy. */
  @Benchmark
  public byte[] caffeine_clone(Cursor cursor) {
    return caffeine.getIfPresent(cursor.nextKey(this)).clone();
  }
}
