package dev.weakalloc.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * The least work any cache that keeps 1 KiB {@code byte[]} values off the heap, by value, does
 * for the workloads of {@link ProviderGetBenchmark} and {@link ProviderPutBenchmark}: a {@code
 * ConcurrentHashMap} lookup of where the value lives, and one 1 KiB copy out of native memory
 * (get, into a fresh array) or into it (put, inside a {@code compute} of the key). Nothing else:
 * no allocator, no eviction order, no pins, no statistics, no JCache API. A put overwrites the
 * key's bytes in place, which no real cache can do (a concurrent reader would see a torn value).
 *
 * <p>This is not a cache; it measures a ceiling. Run it in the same invocation as the provider
 * benchmarks, for example {@code java -jar benchmarks.jar
 * "ProviderGetBenchmark|OffHeapFloorBenchmark.get" -t 2}: the ratio of its score to Caffeine's
 * JCache provider is the most that any off-heap design could reach against Caffeine on that
 * workload, on that machine.
 *
 * <p>Same inputs as the provider benchmarks: {@link #keys} keys, values laid out one after the
 * other in 16 MiB native chunks every 1,040 bytes (the region's block for 1 KiB), gets on the
 * same Zipf stream (exponent 0.99, seed 42), puts on the same uniform sequence (seed 7) of 16
 * prepared values.
 *
 * <p>Thread safety: the map and chunks are shared by all benchmark threads ({@link
 * Scope#Benchmark}); each thread has its own {@link Cursor}. Memory: the chunks belong to one
 * shared {@link Arena}, closed in tear-down after every benchmark thread has stopped.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OffHeapFloorBenchmark {
  static final int VALUE_SIZE = ProviderGetBenchmark.VALUE_SIZE;
  static final long SLOT_BYTES = 1040;
  static final long CHUNK_BYTES = 16L << 20;

  /** The number of keys, all present. */
  @Param("100000")
  public int keys;

  Integer[] keyObjects;
  int[] stream;
  int[] sequence;
  byte[][] values;
  ConcurrentHashMap<Integer, Place> places;
  private Arena arena;
  private final AtomicInteger threads = new AtomicInteger();

  /** Where a key's value lives: a chunk and an offset in it. */
  record Place(MemorySegment chunk, long offset) {}

  /** Writes every key's value into the chunks and maps the key to its place. */
  @Setup(Level.Trial)
  public void setUp() {
    keyObjects = Workloads.keys(keys);
    stream = Workloads.zipfStream(ProviderGetBenchmark.STREAM_LENGTH, keys, 0.99, 42);
    sequence = Workloads.uniformIndices(ProviderPutBenchmark.SEQUENCE_LENGTH, keys, 7);
    values = new byte[ProviderPutBenchmark.VALUES][];
    for (int i = 0; i < values.length; i++) {
      values[i] = Workloads.filled(VALUE_SIZE, i);
    }
    arena = Arena.ofShared();
    places = new ConcurrentHashMap<>(keys * 2);
    int perChunk = (int) (CHUNK_BYTES / SLOT_BYTES);
    MemorySegment chunk = null;
    for (int i = 0; i < keys; i++) {
      if (i % perChunk == 0) {
        chunk = arena.allocate(CHUNK_BYTES, 16);
      }
      long offset = (i % perChunk) * SLOT_BYTES + 16;
      byte[] value = Workloads.filled(VALUE_SIZE, i);
      MemorySegment.copy(value, 0, chunk, ValueLayout.JAVA_BYTE, offset, VALUE_SIZE);
      places.put(keyObjects[i], new Place(chunk, offset));
    }
  }

  /** Releases the chunks. */
  @TearDown(Level.Trial)
  public void tearDown() {
    arena.close();
  }

  /** Per-thread positions in the key stream and sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    /** Starts each thread at a different offset, as the provider benchmarks do. */
    @Setup(Level.Trial)
    public void setUp(OffHeapFloorBenchmark benchmark) {
      next = benchmark.threads.getAndIncrement() * (ProviderGetBenchmark.STREAM_LENGTH / 7);
    }
  }

  /** A lookup and a 1 KiB copy out into a fresh array: the floor of a get hit. */
  @Benchmark
  public byte[] get(Cursor cursor) {
    Integer key = keyObjects[stream[cursor.next++ & (ProviderGetBenchmark.STREAM_LENGTH - 1)]];
    Place place = places.get(key);
    byte[] copy = new byte[VALUE_SIZE];
    MemorySegment.copy(place.chunk(), ValueLayout.JAVA_BYTE, place.offset(), copy, 0, VALUE_SIZE);
    return copy;
  }

  /** A {@code compute} of the key that copies 1 KiB into its place: the floor of a put. */
  @Benchmark
  public void put(Cursor cursor) {
    int i = cursor.next++;
    Integer key = keyObjects[sequence[i & (ProviderPutBenchmark.SEQUENCE_LENGTH - 1)]];
    byte[] value = values[i & (ProviderPutBenchmark.VALUES - 1)];
    places.compute(key, (k, place) -> {
      MemorySegment.copy(
          value, 0, place.chunk(), ValueLayout.JAVA_BYTE, place.offset(), VALUE_SIZE);
      return place;
    });
  }
}
