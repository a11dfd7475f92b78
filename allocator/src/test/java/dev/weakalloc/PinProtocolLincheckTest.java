package dev.weakalloc;

import static dev.weakalloc.internal.LincheckScenarios.parallel;

import dev.weakalloc.internal.LincheckScenarios;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Optional;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the pin protocol of {@link WeakRef} and {@link WeakAlloc} with Lincheck: each
 * scenario runs its operations, one thread per role, under a few thousand distinct interleavings of
 * the threads' shared-memory accesses (few context switches first), and checks each outcome.
 *
 * <p>The scoped-read operations fail on a planted {@link WeakRef#readIfPresent} that checks that
 * the value is present instead of pinning it: {@code upgrade_racingWithEviction} finds a read
 * that saw the replacing value's bytes, {@code closeOfLastPin_racingWithFree} a read whose block
 * was released under it.
 *
 * <p>To explore more interleavings: {@code ./mvnw -pl allocator test -Dtest=PinProtocolLincheckTest
 * -Dlincheck.scale=20}.
 */
class PinProtocolLincheckTest {
  static final int SLOT = 32;

  @BeforeAll
  static void initializeClasses() {
    // ArcRef starts a Cleaner thread in its static initializer: do it outside the model checker.
    try (WeakAlloc alloc = WeakAlloc.over(new SlotAllocator(1, SLOT))) {
      alloc.giveAndUpgrade(value(1), SwitchingCodec.INSTANCE).close();
    }
  }

  static byte[] value(int id) {
    byte[] v = new byte[SLOT];
    Arrays.fill(v, (byte) id);
    return v;
  }

  static boolean holds(byte[] v, int id) {
    for (byte b : v) {
      if (b != (byte) id) {
        return false;
      }
    }
    return v.length == SLOT;
  }

  /**
   * Byte arrays, copied in two halves with a shared-memory access before each: a point where the
   * model checker may switch threads in the middle of a read or a write. The copies themselves run
   * in JDK code that Lincheck does not instrument, so without these a read of the wrong bytes
   * could never be interleaved with the write that changes them.
   */
  static final class SwitchingCodec implements Codec<byte[]> {
    static final SwitchingCodec INSTANCE = new SwitchingCodec();
    volatile int switchPoints;

    @Override
    public Encoding encode(byte[] value) {
      return new Encoding() {
        @Override
        public long byteSize() {
          return value.length;
        }

        @Override
        public void writeTo(MemorySegment target) {
          int half = value.length / 2;
          switchPoints++;
          MemorySegment.copy(value, 0, target, ValueLayout.JAVA_BYTE, 0, half);
          switchPoints++;
          MemorySegment.copy(value, half, target, ValueLayout.JAVA_BYTE, half, value.length - half);
        }
      };
    }

    @Override
    public byte[] decode(MemorySegment bytes) {
      byte[] value = new byte[(int) bytes.byteSize()];
      int half = value.length / 2;
      switchPoints++;
      MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, 0, value, 0, half);
      switchPoints++;
      MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, half, value, half, value.length - half);
      return value;
    }
  }

  /**
   * A scoped read ({@link WeakRef#readIfPresent}) that copies the view in two halves, with a
   * switch point before each, and asks {@code stillAllocated} between them whether the block is
   * still allocated (its answer is exact: the read pins the block it asks about).
   *
   * @return the bytes read, or null if the value was gone; {@link #RELEASED_MID_READ} if the block
   *     was released during the read
   */
  static byte[] readScoped(WeakRef<byte[]> v, java.util.function.BooleanSupplier stillAllocated) {
    return v.readIfPresent(bytes -> {
      byte[] copy = new byte[(int) bytes.size()];
      int half = copy.length / 2;
      SwitchingCodec.INSTANCE.switchPoints++;
      bytes.copyTo(0, copy, 0, half);
      SwitchingCodec.INSTANCE.switchPoints++;
      if (!stillAllocated.getAsBoolean()) {
        return RELEASED_MID_READ;
      }
      bytes.copyTo(half, copy, half, copy.length - half);
      return copy;
    });
  }

  /** What {@link #readScoped} returns when the block it read was released under it. */
  static final byte[] RELEASED_MID_READ = new byte[0];

  /**
   * An upgrade, a read or a scoped read racing with a give into a full region that must evict the
   * value. A scoped read that skips its pin (checking only that the value is present) fails here:
   * the give evicts the value and writes its own into the slot between the read's two halves.
   */
  public static class UpgradeVersusEviction {
    final SlotAllocator slots = new SlotAllocator(1, SLOT);
    final WeakAlloc alloc = WeakAlloc.over(slots);
    final WeakRef<byte[]> v = alloc.give(value(1), SwitchingCodec.INSTANCE);
    ArcRef<byte[]> pin;
    boolean upgradeFailed;
    boolean gave;
    boolean refused;
    String violation;

    @Operation(nonParallelGroup = "pinner")
    public void upgrade() {
      Optional<ArcRef<byte[]>> p = v.upgrade();
      if (p.isEmpty()) {
        upgradeFailed = true;
        return;
      }
      pin = p.get();
      if (!slots.isAllocated(v.address) || !holds(pin.get(), 1) || pin.bytes().get(SLOT - 1) != 1) {
        violation = "a pinned value was released or overwritten";
      }
    }

    @Operation(nonParallelGroup = "pinner")
    public void peek() {
      if (v.getIfPresent() instanceof byte[] bytes && !holds(bytes, 1)) {
        violation = "getIfPresent read the bytes of the value that replaced it";
      }
    }

    @Operation(nonParallelGroup = "pinner")
    public void scoped() {
      byte[] read = readScoped(v, () -> slots.isAllocated(v.address));
      if (read == RELEASED_MID_READ) {
        violation = "a scoped read's block was released during the read";
      } else if (read != null && !holds(read, 1)) {
        violation = "a scoped read saw the bytes of the value that replaced it";
      }
    }

    @Operation(nonParallelGroup = "giver")
    public void give() {
      try {
        alloc.give(value(2), SwitchingCodec.INSTANCE);
        gave = true;
      } catch (RegionPinnedException e) {
        refused = true;
      }
    }

    @Validate
    public void check() {
      if (violation != null || slots.error() != null) {
        throw new AssertionError(violation + " / " + slots.error());
      }
      if (pin != null && (gave || !v.isPresent())) {
        throw new AssertionError("pinned and evicted: gave=" + gave + " present=" + v.isPresent());
      }
      if (upgradeFailed && (!gave || v.isPresent())) {
        throw new AssertionError("upgrade failed but nothing evicted it: gave=" + gave);
      }
      if (pin != null) {
        pin.close();
      }
    }
  }

  @Test
  void upgrade_racingWithEviction_pinsOrEvictsNeverBoth() {
    options(3000)
        .addCustomScenario(parallel(UpgradeVersusEviction.class, of("upgrade"), of("give")))
        .addCustomScenario(parallel(UpgradeVersusEviction.class, of("peek"), of("give")))
        .addCustomScenario(parallel(UpgradeVersusEviction.class, of("scoped"), of("give")))
        .check(UpgradeVersusEviction.class);
  }

  /**
   * The last pin closing while another thread frees or clears the value, and a third upgrades
   * it: the block must be released exactly once, and only after every pin closed. A pin attempted
   * after the removal is an add that the reader takes back; it must neither read the block nor
   * release it a second time. A snapshot taken meanwhile never counts a released value live.
   */
  public static class CloseVersusFree {
    final SlotAllocator slots = new SlotAllocator(1, SLOT);
    final WeakAlloc alloc = WeakAlloc.over(slots);
    final WeakRef<byte[]> v = alloc.give(value(1), SwitchingCodec.INSTANCE);
    final ArcRef<byte[]> pin = v.upgrade().orElseThrow();
    boolean closed;
    boolean removed;
    String violation;

    @Operation(nonParallelGroup = "closer")
    public void close() {
      pin.close();
      closed = true;
    }

    @Operation(nonParallelGroup = "remover")
    public void free() {
      if (!alloc.free(v)) {
        violation = "free of a value nobody else removed returned false";
      }
      removed = true;
    }

    @Operation(nonParallelGroup = "remover")
    public void clear() {
      alloc.clear();
      removed = true;
    }

    @Operation(nonParallelGroup = "observer")
    public void snapshot() {
      WeakAllocStats stats = alloc.stats();
      if (stats.liveValues() > stats.allocatedBlocks()) {
        violation = "a snapshot counted a released value live: " + stats;
      }
    }

    @Operation(nonParallelGroup = "reader")
    public void read() {
      Optional<ArcRef<byte[]>> p = v.upgrade();
      if (p.isPresent()) {
        try (ArcRef<byte[]> reader = p.get()) {
          if (!slots.isAllocated(v.address) || !holds(reader.get(), 1)) {
            violation = "a pinned value was released";
          }
        }
      }
      if (v.getIfPresent() instanceof byte[] bytes && !holds(bytes, 1)) {
        violation = "getIfPresent read a wrong value";
      }
    }

    @Operation(nonParallelGroup = "reader")
    public void scoped() {
      byte[] read = readScoped(v, () -> slots.isAllocated(v.address));
      if (read == RELEASED_MID_READ) {
        violation = "a scoped read's block was released during the read";
      } else if (read != null && !holds(read, 1)) {
        violation = "a scoped read saw a wrong value";
      }
    }

    @Validate
    public void check() {
      if (violation != null || slots.error() != null) {
        throw new AssertionError(violation + " / " + slots.error());
      }
      if (closed && removed) {
        WeakAllocStats stats = alloc.stats();
        if (stats.usedBytes() != 0 || slots.frees(v.address) != 1 || v.isPresent()
            || stats.liveValues() != 0 || stats.allocatedBlocks() != 0 || stats.valueBytes() != 0
            || stats.pinnedBytes() != 0) {
          throw new AssertionError("not released exactly once: frees=" + slots.frees(v.address)
              + " present=" + v.isPresent() + " " + stats);
        }
      }
    }
  }

  @Test
  void closeOfLastPin_racingWithFree_releasesOnce() {
    options(2000)
        .loopBound(200) // stats() walks its 64-bucket histogram: not a spin loop
        .addCustomScenario(parallel(CloseVersusFree.class, of("close"), of("free")))
        .addCustomScenario(parallel(CloseVersusFree.class, of("close"), of("free"), of("read")))
        .addCustomScenario(parallel(CloseVersusFree.class, of("close"), of("clear"), of("read")))
        .addCustomScenario(parallel(CloseVersusFree.class, of("close"), of("free"), of("snapshot")))
        .addCustomScenario(parallel(CloseVersusFree.class, of("close"), of("free"), of("scoped")))
        .addCustomScenario(parallel(CloseVersusFree.class, of("close"), of("clear"), of("scoped")))
        .check(CloseVersusFree.class);
  }

  /**
   * Plan, then evict, racing with pins. A 64 KiB region holds two values of half a chunk each, so
   * a give of 40 KiB must evict both: its plan names both, and a pin of either may land before the
   * plan, between the plan and the eviction, or after it. A pinned value is never evicted and its
   * bytes never overwritten; a give that cannot evict the pinned value fails (once the pin is an
   * open ArcRef); a read in progress ({@code peek} where it pins, a scoped read) makes the give
   * wait, never fail.
   */
  public static class PlanVersusPin {
    static final int HALF = (32 << 10) - 16;
    final WeakAlloc alloc = WeakAlloc.over(MemoryAllocator.region(64 << 10, 64 << 10));
    final WeakRef<byte[]> a = alloc.give(filled(HALF, 1), SwitchingCodec.INSTANCE);
    final WeakRef<byte[]> b = alloc.give(filled(HALF, 2), SwitchingCodec.INSTANCE);
    ArcRef<byte[]> pin;
    boolean gave;
    boolean refused;
    String violation;

    static byte[] filled(int size, int id) {
      byte[] v = new byte[size];
      Arrays.fill(v, (byte) id);
      return v;
    }

    static boolean holds(byte[] v, int size, int id) {
      return v.length == size && v[0] == (byte) id && v[size / 2] == (byte) id && v[size - 1] == (byte) id;
    }

    @Operation(nonParallelGroup = "pinner")
    public void upgrade() {
      pin = b.upgrade().orElse(null);
      if (pin != null && !holds(pin.get(), HALF, 2)) {
        violation = "a pinned value was overwritten";
      }
    }

    @Operation(nonParallelGroup = "pinner")
    public void peek() {
      if (b.getIfPresent() instanceof byte[] bytes && !holds(bytes, HALF, 2)) {
        violation = "getIfPresent read the bytes of the value that replaced it";
      }
    }

    @Operation(nonParallelGroup = "pinner")
    public void scoped() {
      byte[] read = b.readIfPresent(bytes -> {
        SwitchingCodec.INSTANCE.switchPoints++;
        byte first = bytes.get(0);
        SwitchingCodec.INSTANCE.switchPoints++;
        return new byte[] {first, bytes.get(HALF / 2), bytes.get(HALF - 1)};
      });
      if (read != null && (read[0] != 2 || read[1] != 2 || read[2] != 2)) {
        violation = "a scoped read saw the bytes of the value that replaced it";
      }
    }

    @Operation(nonParallelGroup = "giver")
    public void give() {
      try {
        WeakRef<byte[]> c = alloc.give(filled(40 << 10, 3), SwitchingCodec.INSTANCE);
        gave = holds(c.getIfPresent(), 40 << 10, 3);
      } catch (RegionPinnedException e) {
        refused = true;
      }
    }

    @Validate
    public void check() {
      try {
        if (violation != null) {
          throw new AssertionError(violation);
        }
        if (pin != null && (!b.isPresent() || !holds(pin.get(), HALF, 2))) {
          throw new AssertionError("pinned and evicted: gave=" + gave + " present=" + b.isPresent());
        }
        if (pin != null && gave) {
          throw new AssertionError("the give found room beside a pinned half of the region");
        }
        if (refused && pin == null) {
          throw new AssertionError("the give failed, and only a read in progress stood in its way");
        }
      } finally {
        if (pin != null) {
          pin.close();
        }
        alloc.close();
      }
    }
  }

  @Test
  void plannedEviction_racingWithPins_neverEvictsAPinnedValue() {
    options(600)
        .addCustomScenario(parallel(PlanVersusPin.class, of("upgrade"), of("give")))
        .addCustomScenario(parallel(PlanVersusPin.class, of("peek"), of("give")))
        .addCustomScenario(parallel(PlanVersusPin.class, of("scoped"), of("give")))
        .check(PlanVersusPin.class);
  }

  /**
   * Only the scenarios given, each explored for {@code invocations} interleavings. The operations
   * return nothing: each scenario's {@code @Validate} method checks its outcome. So the sequential
   * specification Lincheck compares results with is {@link NoResults}, which pins nothing: run on
   * the test classes themselves, its instances would pin and never validate, and their pins would
   * be left to the Cleaner (a leaked-pin warning in the build).
   */
  static ModelCheckingOptions options(int invocations) {
    return new ModelCheckingOptions()
        .iterations(0)
        .invocationsPerIteration(invocations * LincheckScenarios.scale())
        .sequentialSpecification(NoResults.class);
  }

  /** The sequential specification of operations that return nothing: each does nothing. */
  public static class NoResults {
    public void upgrade() {}

    public void peek() {}

    public void give() {}

    public void close() {}

    public void free() {}

    public void clear() {}

    public void snapshot() {}

    public void read() {}

    public void scoped() {}
  }

  static String[] of(String... operations) {
    return operations;
  }
}
