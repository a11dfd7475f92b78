package dev.weakalloc.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * The least a {@code put} does in a design whose reads never pin and never see a torn value, the
 * one DESIGN.md's "Hot paths" takes: a handle is never reused, so a put cannot overwrite the old
 * value in place (as {@link OffHeapFloorBenchmark#put} does); it writes the new value into a block
 * an earlier put freed, publishes a new handle with one {@code ConcurrentHashMap.put}, retires the
 * old handle with a compare-and-set (so that a reader that copied its bytes meanwhile finds them
 * invalid) and leaves the old block on a lock-free stack for the next put. Nothing else: no
 * recency order, no ids, no statistics, no JCache API. Same inputs as {@link ProviderPutBenchmark}
 * (100,000 keys, uniform, 16 prepared 1 KiB values, blocks of 1,040 bytes in 16 MiB chunks).
 *
 * <p>This is not a cache; it measures the floor of that design's put. Run it beside {@code
 * ProviderPutBenchmark} and {@code OffHeapFloorBenchmark.put}: the gap between the two floors is
 * what never reusing a handle costs; the gap between this floor and the provider is what the
 * provider adds (the recency order, ids, counters, the JCache checks).
 *
 * <p>Thread safety: the map and the stack are shared by all benchmark threads; each thread has
 * its own cursor. The native chunks belong to the benchmark's arena, closed at tear-down.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandleFloorBenchmark {
  static final int VALUE_SIZE = ProviderPutBenchmark.VALUE_SIZE;

  /** The number of keys. */
  @Param("100000")
  public int keys;

  Integer[] keyObjects;
  int[] sequence;
  byte[][] values;
  ConcurrentHashMap<Integer, Handle> handles;
  /** Freed blocks, as the handles that held them: a Treiber stack through {@link Handle#next}. */
  final AtomicReference<Handle> freed = new AtomicReference<>();
  private Arena arena;
  private final AtomicInteger threads = new AtomicInteger();

  /** A value's place; never reused once retired. */
  static final class Handle {
    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Handle.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final MemorySegment chunk;
    final long offset;
    volatile int state; // 0 present, 1 retired
    Handle next;

    Handle(MemorySegment chunk, long offset) {
      this.chunk = chunk;
      this.offset = offset;
    }

    boolean retire() {
      return STATE.compareAndSet(this, 0, 1);
    }
  }

  /** Lays out one block per key, plus 64 spare blocks on the freed stack. */
  @Setup(Level.Trial)
  public void setUp() {
    keyObjects = Workloads.keys(keys);
    sequence = Workloads.uniformIndices(ProviderPutBenchmark.SEQUENCE_LENGTH, keys, 7);
    values = new byte[ProviderPutBenchmark.VALUES][];
    for (int i = 0; i < values.length; i++) {
      values[i] = Workloads.filled(VALUE_SIZE, i);
    }
    arena = Arena.ofShared();
    handles = new ConcurrentHashMap<>(keys * 2);
    int perChunk = (int) (OffHeapFloorBenchmark.CHUNK_BYTES / OffHeapFloorBenchmark.SLOT_BYTES);
    MemorySegment chunk = null;
    for (int i = 0; i < keys + 64; i++) {
      if (i % perChunk == 0) {
        chunk = arena.allocate(OffHeapFloorBenchmark.CHUNK_BYTES, 16);
      }
      Handle handle = new Handle(chunk, (i % perChunk) * OffHeapFloorBenchmark.SLOT_BYTES + 16);
      if (i < keys) {
        MemorySegment.copy(
            values[i % values.length], 0, chunk, ValueLayout.JAVA_BYTE, handle.offset, VALUE_SIZE);
        handles.put(keyObjects[i], handle);
      } else {
        push(handle);
      }
    }
  }

  /** Closes the arena. */
  @TearDown(Level.Trial)
  public void tearDown() {
    arena.close();
  }

  /** Per-thread position in the key sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    /** Starts each thread at a different offset of the shared sequence. */
    @Setup(Level.Trial)
    public void setUp(HandleFloorBenchmark benchmark) {
      next = benchmark.threads.getAndIncrement() * (ProviderPutBenchmark.SEQUENCE_LENGTH / 7);
    }
  }

  /** Writes into a freed block, publishes a new handle, retires the old one and frees its block. */
  @Benchmark
  public void put(Cursor cursor) {
    int i = cursor.next++;
    Integer key = keyObjects[sequence[i & (ProviderPutBenchmark.SEQUENCE_LENGTH - 1)]];
    Handle block = pop();
    Handle handle = new Handle(block.chunk, block.offset);
    MemorySegment.copy(
        values[i & (ProviderPutBenchmark.VALUES - 1)], 0,
        handle.chunk, ValueLayout.JAVA_BYTE, handle.offset, VALUE_SIZE);
    Handle old = handles.put(key, handle);
    if (old.retire()) {
      push(old);
    }
  }

  /** {@return the handle whose block was freed last} There are always spare blocks. */
  Handle pop() {
    while (true) {
      Handle head = freed.get();
      if (freed.compareAndSet(head, head.next)) {
        return head;
      }
    }
  }

  void push(Handle handle) {
    Handle head;
    do {
      head = freed.get();
      handle.next = head;
    } while (!freed.compareAndSet(head, handle));
  }
}
