package dev.weakalloc;

import static dev.weakalloc.TestValues.isPattern;
import static dev.weakalloc.TestValues.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.weakalloc.internal.RegionAllocator;
import dev.weakalloc.internal.RegionInspector;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stats that add up: a random sequence of gives, pins, frees, clears and failures, checked after
 * every operation against a model of what should be allocated, pinned and counted.
 *
 * <p>Each seed runs {@code model.ops} operations (default 3000). To run longer: {@code ./mvnw -pl
 * allocator test -Dtest=WeakAllocStatsModelTest -Dmodel.ops=1000000} (Surefire passes {@code -D}
 * properties on to the tests).
 */
class WeakAllocStatsModelTest {
  private static final int OPS = Integer.getInteger("model.ops", 3000);
  private static final int MAX_PINS = 12;

  /** The model's view of one value given successfully. */
  private static final class Value {
    final WeakRef<byte[]> ref;
    final int seed;
    final List<ArcRef<byte[]>> pins = new ArrayList<>();
    boolean live = true;

    Value(WeakRef<byte[]> ref, int seed) {
      this.ref = ref;
      this.seed = seed;
    }

    /** Allocated: live, or removed but still pinned. */
    boolean allocated() {
      return live || !pins.isEmpty();
    }
  }

  private final ConcurrentLinkedQueue<WeakRef<?>> evictedQueue = new ConcurrentLinkedQueue<>();
  private final Map<WeakRef<?>, Value> values = new IdentityHashMap<>();
  private final List<Value> allocated = new ArrayList<>();
  private RegionAllocator inner;
  private RegionInspector inspector;
  private WeakAlloc alloc;
  private Random random;

  private long evictions;
  private long pinnedFailures;
  private long deferredFrees;
  private long evictedBytes;
  private long allocatedBytesTotal;
  private long failedAllocations;
  private final long[] histogram = new long[64];

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4})
  void stats_randomOperations_agreeWithModel(long seed) {
    random = new Random(seed);
    inner = new RegionAllocator(128 << 10, 64 << 10);
    inspector = new RegionInspector(inner);
    alloc = WeakAlloc.builder(inner).evictionListener(evictedQueue::add).build();
    try {
      checkAgainstModel();
      for (int op = 0; op < OPS; op++) {
        step(op);
        checkAgainstModel();
      }
      // The run met every case the model is there for.
      assertThat(evictions).as("evictions").isGreaterThan(OPS / 20);
      assertThat(failedAllocations - pinnedFailures).as("oversize").isPositive();
      assertThat(pinnedFailures).as("pinned failures").isPositive();
      assertThat(deferredFrees).as("deferred frees").isPositive();
    } finally {
      for (Value value : values.values()) {
        value.pins.forEach(ArcRef::close); // not left to the Cleaner: no leaked-pin warning
      }
      alloc.close();
    }
  }

  private void step(int op) {
    int dice = random.nextInt(100);
    if (dice < 40) {
      give(op, false);
    } else if (dice < 45) {
      give(op, true);
    } else if (dice < 50) {
      tryGive(op);
    } else if (dice < 62) {
      pin();
    } else if (dice < 74) {
      unpin();
    } else if (dice < 80) {
      getIfPresent();
    } else if (dice < 88) {
      free();
    } else if (dice < 92) {
      giveOversize();
    } else if (dice < 96) {
      giveFailingCodec(op);
    } else if (dice < 97) {
      alloc.clear();
      for (Value v : values.values()) {
        v.live = false;
      }
    } else {
      verifyContents();
    }
    drainEvictions();
    allocated.removeIf(v -> !v.allocated());
  }

  private int randomSize() {
    return random.nextInt(8) == 0 ? random.nextInt(40_000) : random.nextInt(3000);
  }

  private void give(int seed, boolean andUpgrade) {
    int size = randomSize();
    if (andUpgrade && openPins() >= MAX_PINS) {
      return;
    }
    try {
      Value value;
      if (andUpgrade) {
        ArcRef<byte[]> pin = alloc.giveAndUpgrade(pattern(size, seed), Codecs.bytes());
        value = new Value(pin.downgrade(), seed);
        value.pins.add(pin);
      } else {
        value = new Value(alloc.give(pattern(size, seed), Codecs.bytes()), seed);
      }
      added(value);
    } catch (RegionPinnedException e) {
      assertThat(evictedQueue).as("a give that failed evicted nothing").isEmpty();
      failed(size);
      pinnedFailures++;
      assertThat(e.requestedBytes()).isEqualTo(size);
      assertThat(e.pinnedBytes()).isEqualTo(pinnedBytes());
    }
  }

  private void tryGive(int seed) {
    int size = randomSize();
    long evictionsBefore = alloc.stats().evictions();
    Optional<WeakRef<byte[]>> ref = alloc.tryGive(pattern(size, seed), Codecs.bytes());
    ref.ifPresent(r -> added(new Value(r, seed)));
    assertThat(alloc.stats().evictions()).as("tryGive never evicts").isEqualTo(evictionsBefore);
  }

  private void added(Value value) {
    values.put(value.ref, value);
    allocated.add(value);
    allocatedBytesTotal += value.ref.byteSize();
  }

  private void failed(long size) {
    failedAllocations++;
    histogram[size <= 1 ? 0 : 63 - Long.numberOfLeadingZeros(size)]++;
  }

  private void giveOversize() {
    long size = alloc.maxValueSize() + 1 + random.nextInt(100_000);
    try {
      alloc.give(new byte[(int) size], Codecs.bytes());
      fail("gave %d bytes, max %d", size, alloc.maxValueSize());
    } catch (ValueTooLargeException e) {
      failed(size);
    }
  }

  private void giveFailingCodec(int seed) {
    boolean inEncode = random.nextBoolean();
    Codec<byte[]> failing =
        new Codec<>() {
          @Override
          public Encoding encode(byte[] value) {
            if (inEncode) {
              throw new IllegalStateException("encode fails");
            }
            return new Encoding() {
              @Override
              public long byteSize() {
                return value.length;
              }

              @Override
              public void writeTo(MemorySegment target) {
                throw new IllegalStateException("write fails");
              }
            };
          }

          @Override
          public byte[] decode(MemorySegment bytes) {
            throw new AssertionError("never decoded");
          }
        };
    try {
      alloc.give(pattern(randomSize(), seed), failing);
      fail("codec should have failed");
    } catch (CodecException expected) {
      // nothing to model but evictions, which the listener reports
    } catch (RegionPinnedException e) {
      failed(e.requestedBytes());
    }
  }

  private Value randomAllocated() {
    return allocated.isEmpty() ? null : allocated.get(random.nextInt(allocated.size()));
  }

  private void pin() {
    Value value = randomAllocated();
    if (value == null || openPins() >= MAX_PINS) {
      return;
    }
    Optional<ArcRef<byte[]>> pin = value.ref.upgrade();
    assertThat(pin.isPresent()).as("upgrade of %s", value.live ? "live" : "removed").isEqualTo(value.live);
    pin.ifPresent(value.pins::add);
  }

  private void unpin() {
    List<Value> pinned = allocated.stream().filter(v -> !v.pins.isEmpty()).toList();
    if (pinned.isEmpty()) {
      return;
    }
    Value value = pinned.get(random.nextInt(pinned.size()));
    ArcRef<byte[]> pin = value.pins.remove(random.nextInt(value.pins.size()));
    assertThat(isPattern(pin.get(), value.seed)).isTrue();
    pin.close();
  }

  private void getIfPresent() {
    Value value = randomAllocated();
    if (value != null) {
      byte[] bytes = value.ref.getIfPresent();
      assertThat(bytes != null).isEqualTo(value.live);
      if (bytes != null) {
        assertThat(isPattern(bytes, value.seed)).isTrue();
      }
    }
  }

  private void free() {
    Value value = randomAllocated();
    if (value != null) {
      assertThat(alloc.free(value.ref)).isEqualTo(value.live);
      if (value.live && !value.pins.isEmpty()) {
        deferredFrees++;
      }
      value.live = false;
    }
  }

  private void verifyContents() {
    for (Value value : allocated) {
      for (ArcRef<byte[]> pin : value.pins) {
        assertThat(isPattern(pin.bytes().toArray(), value.seed)).isTrue();
      }
    }
  }

  private void drainEvictions() {
    for (WeakRef<?> ref; (ref = evictedQueue.poll()) != null; ) {
      Value value = values.get(ref);
      assertThat(value).as("evicted a value never given").isNotNull();
      assertThat(value.live).as("evicted a removed value").isTrue();
      assertThat(value.pins).as("evicted a pinned value").isEmpty();
      value.live = false;
      evictions++;
      evictedBytes += ref.byteSize();
    }
  }

  private int openPins() {
    return allocated.stream().mapToInt(v -> v.pins.size()).sum();
  }

  private long pinnedBytes() {
    return allocated.stream().filter(v -> !v.pins.isEmpty()).mapToLong(v -> v.ref.byteSize()).sum();
  }

  private void checkAgainstModel() {
    WeakAllocStats stats = alloc.stats();
    List<Value> live = allocated.stream().filter(v -> v.live).toList();
    assertThat(stats.liveValues()).as("liveValues").isEqualTo(live.size());
    assertThat(live).allMatch(v -> v.ref.isPresent());
    assertThat(allocated.stream().filter(v -> !v.live)).noneMatch(v -> v.ref.isPresent());
    assertThat(stats.allocatedBlocks()).as("allocatedBlocks").isEqualTo(allocated.size());
    assertThat(stats.valueBytes())
        .as("valueBytes")
        .isEqualTo(allocated.stream().mapToLong(v -> v.ref.byteSize()).sum());
    // The real block sizes: the region may give a block 16 bytes more than blockSize(byteSize).
    assertThat(stats.usedBytes())
        .as("usedBytes")
        .isEqualTo(allocated.stream().mapToLong(v -> inspector.blockSizeAt(v.ref.address)).sum());
    assertThat(allocated)
        .allMatch(v -> inspector.blockSizeAt(v.ref.address) - inner.blockSize(v.ref.byteSize()) <= 16);
    assertThat(stats.pinnedBytes()).as("pinnedBytes").isEqualTo(pinnedBytes());
    assertThat(stats.evictions()).as("evictions").isEqualTo(evictions);
    assertThat(stats.evictedBytes()).as("evictedBytes").isEqualTo(evictedBytes);
    assertThat(stats.allocatedBytesTotal()).as("allocatedBytesTotal").isEqualTo(allocatedBytesTotal);
    assertThat(stats.failedAllocations()).as("failedAllocations").isEqualTo(failedAllocations);
    assertThat(stats.failedSizeHistogram()).as("histogram").isEqualTo(Arrays.stream(histogram).boxed().toList());
    assertThat(stats.usedBytes()).isLessThanOrEqualTo(stats.committedBytes());
    assertThat(stats.committedBytes()).isLessThanOrEqualTo(inner.maxCommittedBytes());
    assertThat(stats.leakedPins()).isZero();
    inspector.checkInvariants();
  }
}
