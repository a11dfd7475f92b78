package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link MemoryAllocator}, subclassed per implementation. After each test the
 * implementation's own invariants ({@link #checkInvariants}) and the SPI's are checked, every
 * block is freed, and the allocator is closed twice.
 *
 * <p>The random sequences run {@code contract.ops} steps (default 2000); for a longer run add
 * {@code -Dcontract.ops=200000} (Surefire passes {@code -D} properties on to the tests).
 */
@SuppressWarnings("exports") // test code patched into the module; JUnit is not its dependency
public abstract class MemoryAllocatorContractTest {
  private static final int OPS = Integer.getInteger("contract.ops", 2000);

  /** The allocator under test, created before each test. */
  protected MemoryAllocator allocator;

  /** Live blocks: address to the payload size asked for. */
  private final Map<Long, Long> live = new LinkedHashMap<>();
  /** The pattern seed each live block was filled with. */
  private final Map<Long, Integer> seeds = new LinkedHashMap<>();

  /** For subclasses. */
  protected MemoryAllocatorContractTest() {}

  /** {@return a fresh allocator} */
  protected abstract MemoryAllocator create();

  /** {@return the largest size the random tests ask for} Keeps unbounded allocators small. */
  protected long maxRandomSize() {
    return Math.min(allocator.maxAllocation(), 12_000);
  }

  /** {@return whether freeing everything must leave room for the largest block again} */
  protected boolean coalesces() {
    return false;
  }

  /**
   * {@return the most the allocator may commit, and so hand out in blocks} By default its capacity;
   * a region adds its blocks' header room.
   */
  protected long maxCommittedBytes() {
    return allocator.capacity();
  }

  /** Checks the implementation's own invariants; called after each test and in random runs. */
  protected void checkInvariants() {}

  /** {@return the bytes the block at {@code address} really takes} By default, its blockSize. */
  protected long actualBlockSize(long address, long byteSize) {
    return allocator.blockSize(byteSize);
  }

  private boolean bounded() {
    return allocator.capacity() != Long.MAX_VALUE;
  }

  // Public, like the tests below: JUnit may then call them without opening the package, which the
  // module path requires when only a subclass in another package is selected.
  @BeforeEach
  public void createAllocator() {
    allocator = create();
    assertThat(allocator.allocatedBytes()).isZero();
  }

  @AfterEach
  public void freeAndClose() {
    checkAll();
    for (long address : live.keySet()) {
      allocator.free(address);
    }
    live.clear();
    assertThat(allocator.allocatedBytes()).as("allocatedBytes after freeing all").isZero();
    checkInvariants();
    allocator.close();
    allocator.close(); // idempotent
  }

  // --- helpers ---

  /** Allocates and fills a block with a pattern; returns NO_ROOM if the allocator did. */
  private long allocate(long byteSize, int seed) {
    long before = allocator.allocatedBytes();
    long address = allocator.allocate(byteSize);
    if (address == MemoryAllocator.NO_ROOM) {
      assertThat(allocator.allocatedBytes()).as("NO_ROOM changes nothing").isEqualTo(before);
      return address;
    }
    assertThat(live).as("address %x handed out twice", address).doesNotContainKey(address);
    assertThat(allocator.allocatedBytes() - before)
        .as("allocatedBytes grows by the block")
        .isEqualTo(actualBlockSize(address, byteSize))
        .isGreaterThanOrEqualTo(allocator.blockSize(byteSize));
    MemorySegment segment = allocator.segment(address, byteSize);
    assertThat(segment.byteSize()).isEqualTo(byteSize);
    fill(segment, seed);
    live.put(address, byteSize);
    seeds.put(address, seed);
    return address;
  }

  private void free(long address) {
    long before = allocator.allocatedBytes();
    long size = actualBlockSize(address, live.get(address));
    verify(address);
    allocator.free(address);
    live.remove(address);
    seeds.remove(address);
    assertThat(before - allocator.allocatedBytes()).as("allocatedBytes shrinks by the block").isEqualTo(size);
  }

  private static void fill(MemorySegment segment, int seed) {
    MemorySegment.copy(pattern(seed, segment.byteSize()), 0, segment, ValueLayout.JAVA_BYTE, 0, (int) segment.byteSize());
  }

  private static byte[] pattern(int seed, long size) {
    byte[] bytes = new byte[(int) size];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (seed * 0x9E3779B1 + i * 131 + (i >>> 8));
    }
    return bytes;
  }

  private void verify(long address) {
    MemorySegment segment = allocator.segment(address, live.get(address));
    int seed = seeds.get(address);
    long mismatch = segment.mismatch(MemorySegment.ofArray(pattern(seed, segment.byteSize())));
    if (mismatch >= 0) {
      throw new AssertionError("block %x (seed %d) overwritten at byte %d".formatted(address, seed, mismatch));
    }
  }

  /** Checks every block's bytes and the byte accounting against the live set. */
  private void checkAll() {
    long expected = 0;
    for (Map.Entry<Long, Long> block : live.entrySet()) {
      verify(block.getKey());
      expected += actualBlockSize(block.getKey(), block.getValue());
    }
    assertThat(allocator.allocatedBytes()).as("allocatedBytes").isEqualTo(expected);
    assertThat(allocator.allocatedBytes()).isLessThanOrEqualTo(maxCommittedBytes());
    assertThat(allocator.committedBytes()).isGreaterThanOrEqualTo(allocator.allocatedBytes());
    checkInvariants();
  }

  private long randomSize(Random random) {
    long max = maxRandomSize();
    return random.nextInt(10) == 0 ? random.nextLong(max + 1) : random.nextLong(Math.min(max, 300) + 1);
  }

  // --- tests ---

  @Test
  public void blockSize_anyPayload_holdsPayloadAndHeader() {
    for (long size : new long[] {0, 1, 15, 16, 17, 100, 4096, maxRandomSize()}) {
      assertThat(allocator.blockSize(size)).as("blockSize(%d)", size).isGreaterThan(size);
    }
  }

  @Test
  public void allocate_severalBlocks_distinctAndWritableWithoutOverlap() {
    List<Long> addresses = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long address = allocate(i * 37L, i);
      assertThat(address).isNotEqualTo(MemoryAllocator.NO_ROOM);
      addresses.add(address);
    }

    assertThat(addresses).doesNotHaveDuplicates();
    checkAll();
  }

  @Test
  public void read_copiesWhatTheSegmentHolds_wholeOrAPrefix() {
    for (int i = 1; i <= 20; i++) {
      long size = i * 53L;
      long address = allocate(size, i);
      byte[] whole = new byte[(int) size];
      byte[] prefix = new byte[(int) size / 2];

      allocator.read(address, whole);
      allocator.read(address, prefix);

      assertThat(whole).as("block %d read whole", i).isEqualTo(pattern(i, size));
      assertThat(prefix).as("block %d read in part", i).isEqualTo(pattern(i, size / 2));
    }
  }

  @Test
  public void read_afterClose_throwsWhereFreedMemoryStaysMapped() {
    assumeThat(allocator.freedMemoryStaysMapped())
        .as("only such allocators are read after close; the others are never read unpinned")
        .isTrue();
    long address = allocator.allocate(64); // not tracked: the allocator closes under it
    MemoryAllocator closed = allocator;
    closed.close();
    allocator = create(); // a fresh one for the checks after each test

    assertThatThrownBy(() -> closed.read(address, new byte[64])).isInstanceOf(IllegalStateException.class);
  }

  @Test
  public void allocate_zeroBytes_givesAnEmptySegment() {
    long address = allocate(0, 1);

    assertThat(address).isNotEqualTo(MemoryAllocator.NO_ROOM);
    assertThat(allocator.segment(address, 0).byteSize()).isZero();
    assertThat(allocator.allocatedBytes()).isEqualTo(allocator.blockSize(0));
  }

  @Test
  public void allocateAndFree_randomSequence_blocksNeverOverlapAndAccountingHolds() {
    Random random = new Random(42);
    List<Long> addresses = new ArrayList<>();
    for (int op = 0; op < OPS; op++) {
      if (!addresses.isEmpty() && (random.nextInt(3) == 0 || live.size() > 400)) {
        free(addresses.remove(random.nextInt(addresses.size())));
      } else {
        long address = allocate(randomSize(random), op);
        if (address != MemoryAllocator.NO_ROOM) {
          addresses.add(address);
        } else {
          assertThat(bounded()).as("an unbounded allocator said NO_ROOM").isTrue();
        }
      }
      if (op % 100 == 0) {
        checkAll();
      }
    }
  }

  @Test
  public void allocate_full_returnsNoRoomUntilSomethingIsFreed() {
    assumeThat(bounded()).as("bounded allocators only").isTrue();
    Random random = new Random(7);
    long last;
    int seed = 0;
    do {
      last = allocate(1000 + random.nextInt(3000), seed++);
    } while (last != MemoryAllocator.NO_ROOM && seed < 1_000_000);
    assertThat(last).isEqualTo(MemoryAllocator.NO_ROOM);
    assertThat(allocator.allocatedBytes()).isLessThanOrEqualTo(maxCommittedBytes());
    assertThat(allocate(4000, seed)).as("still full").isEqualTo(MemoryAllocator.NO_ROOM);
    checkAll();

    long victim = live.keySet().iterator().next();
    long victimSize = live.get(victim);
    free(victim);

    // Half the freed size: a good-fit allocator (the region's TLSF) may refuse a hole of exactly
    // the request's size, since it rounds the request up to the next size class.
    assertThat(allocate(victimSize / 2, seed + 1)).isNotEqualTo(MemoryAllocator.NO_ROOM);
  }

  @Test
  public void allocate_moreThanMaxAllocation_returnsNoRoom() {
    assumeThat(bounded()).as("bounded allocators only").isTrue();

    assertThat(allocator.allocate(allocator.maxAllocation() + 1)).isEqualTo(MemoryAllocator.NO_ROOM);
    assertThat(allocator.allocate(allocator.capacity() + 1)).isEqualTo(MemoryAllocator.NO_ROOM);
    assertThat(allocator.allocatedBytes()).isZero();
  }

  @Test
  public void allocate_maxAllocationWhenEmpty_succeeds() {
    assumeThat(bounded()).as("bounded allocators only").isTrue();

    long address = allocate(allocator.maxAllocation(), 3);

    assertThat(address).isNotEqualTo(MemoryAllocator.NO_ROOM);
    assertThat(allocator.allocatedBytes()).isLessThanOrEqualTo(maxCommittedBytes());
  }

  @Test
  public void free_everythingAfterRandomUse_largestBlocksFitAgain() {
    assumeThat(coalesces()).as("coalescing allocators only").isTrue();
    Random random = new Random(3);
    List<Long> addresses = new ArrayList<>();
    for (int i = 0; i < OPS / 2; i++) {
      if (!addresses.isEmpty() && random.nextInt(4) == 0) {
        free(addresses.remove(random.nextInt(addresses.size())));
      }
      long address = allocate(randomSize(random), i);
      if (address != MemoryAllocator.NO_ROOM) {
        addresses.add(address);
      }
    }
    java.util.Collections.shuffle(addresses, random);
    for (long address : addresses) {
      free(address);
    }
    assertThat(allocator.allocatedBytes()).isZero();
    checkInvariants();

    long max = allocator.maxAllocation();
    long fits = allocator.capacity() / allocator.blockSize(max);
    for (int i = 0; i < fits; i++) {
      assertThat(allocate(max, i)).as("largest block %d of %d", i + 1, fits).isNotEqualTo(MemoryAllocator.NO_ROOM);
    }
  }

  @Test
  public void committedBytes_afterUse_coversAllocatedAndStaysWithinCapacity() {
    allocate(100, 1);
    allocate(maxRandomSize(), 2);

    assertThat(allocator.committedBytes()).isGreaterThanOrEqualTo(allocator.allocatedBytes());
    if (bounded()) {
      assertThat(allocator.committedBytes()).isLessThanOrEqualTo(maxCommittedBytes());
    }
  }
}
