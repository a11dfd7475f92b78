package dev.weakalloc;

import static dev.weakalloc.TestValues.isPattern;
import static dev.weakalloc.TestValues.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.internal.RegionAllocator;
import dev.weakalloc.internal.RegionInspector;
import dev.weakalloc.internal.RegionInspector.Block;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plan, then evict, checked give by give against the region's layout: random gives of random
 * sizes, pins (open {@link ArcRef}s), unpins, reads and frees in a small region of four chunks.
 * After every give, either it succeeded, and the values it evicted were present and unpinned and,
 * with the free blocks between and beside them, made one run of adjacent blocks that holds the new
 * value; or it failed, and nothing changed: the same blocks, the same values, the same counters.
 *
 * <p>Each seed runs {@code plan.ops} operations (default 4000). To run longer: {@code ./mvnw -pl
 * allocator test -Dtest=EvictionPlanModelTest -Dplan.ops=1000000} (Surefire passes {@code -D}
 * properties on to the tests).
 */
class EvictionPlanModelTest {
  private static final int OPS = Integer.getInteger("plan.ops", 4000);
  private static final int MAX_PINS = 16;

  private final ConcurrentLinkedQueue<WeakRef<?>> evicted = new ConcurrentLinkedQueue<>();
  private final Map<WeakRef<byte[]>, Integer> seeds = new IdentityHashMap<>();
  private final List<WeakRef<byte[]>> given = new ArrayList<>();
  private final List<ArcRef<byte[]>> pins = new ArrayList<>();
  private RegionInspector inspector;
  private WeakAlloc alloc;
  private Random random;
  private int evictingGives;
  private int failedGives;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4})
  void give_randomLayouts_evictsOneRunThatHoldsTheValueOrNothing(long seed) {
    random = new Random(seed);
    RegionAllocator region = new RegionAllocator(256 << 10, 64 << 10);
    inspector = new RegionInspector(region);
    alloc = WeakAlloc.builder(region).evictionListener(evicted::add).build();
    try {
      for (int op = 0; op < OPS; op++) {
        step(op);
        inspector.checkInvariants();
      }
      for (ArcRef<byte[]> pin : pins) {
        assertThat(isPattern(pin.get(), seeds.get(pin.downgrade()))).isTrue();
      }
      // The run met the cases it is there for.
      assertThat(evictingGives).as("gives that evicted").isGreaterThan(OPS / 10);
      assertThat(failedGives).as("gives that failed").isPositive();
    } finally {
      pins.forEach(ArcRef::close);
      alloc.close();
    }
  }

  private void step(int op) {
    int dice = random.nextInt(100);
    if (dice < 50) {
      give(op);
    } else if (dice < 66) {
      pin();
    } else if (dice < 76) {
      unpin();
    } else if (dice < 86) {
      free();
    } else {
      read();
    }
  }

  private void give(int seed) {
    int size = random.nextInt(5) == 0 ? random.nextInt(65_536) : random.nextInt(1, 6000);
    WeakAllocStats before = alloc.stats(); // releases what frees left: the layout the give sees
    List<Block> layout = inspector.blocks();
    Map<Long, WeakRef<byte[]>> owners = new HashMap<>();
    for (WeakRef<byte[]> ref : given) {
      if (ref.isPresent()) {
        owners.put(ref.address, ref);
      }
    }
    try {
      WeakRef<byte[]> ref = alloc.give(pattern(size, seed), Codecs.bytes());
      seeds.put(ref, seed);
      given.add(ref);
      List<WeakRef<?>> victims = new ArrayList<>(evicted);
      if (!victims.isEmpty()) {
        evictingGives++;
        checkOneRun(layout, owners, victims, ref);
      }
    } catch (RegionPinnedException e) {
      failedGives++;
      assertThat(evicted).as("a give that failed evicted nothing").isEmpty();
      assertThat(inspector.blocks()).as("a give that failed left every block as it was").isEqualTo(layout);
      assertThat(WeakAllocPinningTest.withoutFailures(alloc.stats()))
          .isEqualTo(WeakAllocPinningTest.withoutFailures(before));
      assertThat(e.largestRunBytes()).isLessThan(alloc.stats().capacityBytes());
    }
    evicted.clear();
    given.removeIf(ref -> !ref.isPresent() && pins.stream().noneMatch(pin -> pin.downgrade() == ref));
  }

  /**
   * The victims were present and unpinned, and the blocks from the first victim (or the new block)
   * to the last are adjacent and each free or a victim's: one run, which holds the new block.
   */
  private void checkOneRun(
      List<Block> layout, Map<Long, WeakRef<byte[]>> owners, List<WeakRef<?>> victims, WeakRef<?> placed) {
    Set<Long> victimAddresses = new java.util.HashSet<>();
    for (WeakRef<?> victim : victims) {
      assertThat(owners.get(victim.address)).as("a victim was present").isSameAs(victim);
      assertThat(pins).as("a victim was unpinned").noneMatch(pin -> pin.downgrade() == victim);
      victimAddresses.add(victim.address);
    }
    int first = Integer.MAX_VALUE;
    int last = -1;
    for (int i = 0; i < layout.size(); i++) {
      Block block = layout.get(i);
      boolean holdsNew = block.address() < placed.address + placed.blockBytes && placed.address < block.end();
      if (victimAddresses.contains(block.address()) || holdsNew) {
        first = Math.min(first, i);
        last = Math.max(last, i);
      }
    }
    for (int i = first; i <= last; i++) {
      Block block = layout.get(i);
      assertThat(block.free() || victimAddresses.contains(block.address()))
          .as("block %x in the run is free or a victim's", block.address()).isTrue();
      if (i > first) {
        assertThat(layout.get(i - 1).end()).as("the run's blocks are adjacent").isEqualTo(block.address());
      }
    }
  }

  private void pin() {
    if (given.isEmpty() || pins.size() >= MAX_PINS) {
      return;
    }
    WeakRef<byte[]> ref = given.get(random.nextInt(given.size()));
    ref.upgrade().ifPresent(pins::add);
  }

  private void unpin() {
    if (!pins.isEmpty()) {
      pins.remove(random.nextInt(pins.size())).close();
    }
  }

  private void free() {
    if (!given.isEmpty()) {
      alloc.free(given.get(random.nextInt(given.size())));
    }
  }

  private void read() {
    if (!given.isEmpty()) {
      WeakRef<byte[]> ref = given.get(random.nextInt(given.size()));
      byte[] bytes = ref.getIfPresent();
      if (bytes != null) {
        assertThat(isPattern(bytes, seeds.get(ref))).isTrue();
      }
    }
  }
}
