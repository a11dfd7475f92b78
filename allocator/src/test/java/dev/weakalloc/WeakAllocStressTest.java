package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Several threads give, upgrade, read, free, clear and hold pins on one {@link WeakAlloc} whose
 * capacity is a small fraction of the data, so that nearly every give evicts. Every value carries
 * its identity and a checksum, so that a read of freed, reused or torn memory is caught.
 *
 * <p>Checked while running: every successful read (through {@link ArcRef#get()}, a {@link
 * ByteView} or {@link WeakRef#getIfPresent()}) has the identity and checksum of the value asked
 * for; a value pinned by an open {@link ArcRef} stays readable and correct, and present unless
 * the test itself freed or cleared it, until the pin closes. Checked when quiescent (threads
 * joined, every pin closed): {@code usedBytes}, {@code valueBytes}, {@code liveValues} and {@code
 * allocatedBlocks} equal what the test counts over the values it still holds, nothing is pinned,
 * and after {@link WeakAlloc#clear()} nothing is used.
 *
 * <p>Each run lasts {@code stress.seconds} seconds (20 by default, passed by the build to
 * surefire) over the default region, and a quarter of that over a region of 1 MiB chunks (so that
 * eviction around a victim meets chunk ends) and over the limit and system allocators.
 * To run it longer:
 *
 * <pre>{@code
 * ./mvnw -pl allocator test -Dtest=WeakAllocStressTest -Dstress.seconds=600
 * }</pre>
 *
 * <p>{@code -Dstress.verbose=true} prints each run's counts (gives, reads, misses, pins, frees,
 * clears and the final stats); otherwise they are shown only when an assertion fails.
 */
class WeakAllocStressTest {
  static final int THREADS = 4;
  static final int KEYS = 512;
  static final int CAPACITY = 8 << 20;
  static final int MIN_VALUE = 64;
  static final int MAX_VALUE = 256 << 10;
  static final int HEADER = 16;
  static final int MAX_HELD_PINS = 4;

  static long seconds() {
    return Long.getLong("stress.seconds", 20);
  }

  @Test
  void region_underConstantEviction_neverCorruptsNorLosesPins() throws InterruptedException {
    try (WeakAlloc alloc = WeakAlloc.withCapacity(CAPACITY)) {
      new Run(alloc).run(Duration.ofSeconds(seconds()));
    }
  }

  /**
   * Values of three sizes only, so that most replaces reuse the block a removal just released,
   * without the lock, while other gives carve and evict under it: the lock-free put path races
   * eviction, reads, pins, frees and clears.
   */
  @Test
  void region_withBlocksReusedWithoutTheLock_neverCorruptsNorLosesPins()
      throws InterruptedException {
    try (WeakAlloc alloc = WeakAlloc.withCapacity(CAPACITY)) {
      new Run(alloc, new int[] {1000, 4000, 60_000}).run(Duration.ofSeconds(Math.max(2, seconds() / 4)));
    }
  }

  @Test
  void regionOfSmallChunks_underConstantEviction_neverCorruptsNorLosesPins()
      throws InterruptedException {
    try (WeakAlloc alloc = WeakAlloc.over(MemoryAllocator.region(CAPACITY, 1 << 20))) {
      new Run(alloc).run(Duration.ofSeconds(Math.max(2, seconds() / 4)));
    }
  }

  @Test
  void limitOverSystem_underConstantEviction_neverCorruptsNorLosesPins()
      throws InterruptedException {
    MemoryAllocator limited = MemoryAllocator.limit(MemoryAllocator.system(), CAPACITY);
    try (WeakAlloc alloc = WeakAlloc.over(limited)) {
      new Run(alloc).run(Duration.ofSeconds(Math.max(2, seconds() / 4)));
    }
  }

  // --- values: | id (8) | length (4) | CRC32C of bytes 16.. (4) | random bytes ... | ---

  /** A value of a random length, or of one of {@code lengths} if not null. */
  static byte[] newValue(long id, SplittableRandom random, int[] lengths) {
    int scale = MIN_VALUE << random.nextInt(13);
    int length = lengths != null
        ? lengths[random.nextInt(lengths.length)]
        : Math.min(MAX_VALUE, scale + random.nextInt(scale));
    byte[] value = new byte[length];
    random.nextBytes(value);
    ByteBuffer header = ByteBuffer.wrap(value);
    header.putLong(0, id).putInt(8, length).putInt(12, crc(value, HEADER, length - HEADER));
    return value;
  }

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /**
   * The value a table slot points at: its identity, its handle, how many clears had ended when
   * its give began, and whether the test freed it.
   */
  record Entry(long id, int length, WeakRef<byte[]> ref, long clearsEnded, AtomicBoolean freed) {}

  /** One stress run over one allocator. */
  static final class Run {
    final WeakAlloc alloc;
    final AtomicReferenceArray<Entry> table = new AtomicReferenceArray<>(KEYS);
    final AtomicLong ids = new AtomicLong();
    // A clear may remove a value iff it began before the value was seen removed and ended after
    // the value's give began: clearsBegun counts before alloc.clear(), clearsEnded after it.
    final AtomicLong clearsBegun = new AtomicLong();
    final AtomicLong clearsEnded = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final LongAdder gives = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder full = new LongAdder();
    final LongAdder reads = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder held = new LongAdder();
    final LongAdder frees = new LongAdder();
    final LongAdder clears = new LongAdder();

    /** The lengths of the values given, or null for random lengths. */
    final int[] lengths;

    Run(WeakAlloc alloc) {
      this(alloc, null);
    }

    Run(WeakAlloc alloc, int[] lengths) {
      this.alloc = alloc;
      this.lengths = lengths;
    }

    void run(Duration duration) throws InterruptedException {
      long deadline = System.nanoTime() + duration.toNanos();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        long seed = 0x5eed + t;
        threads.add(Thread.ofPlatform().name("stress-" + t).start(() -> work(seed, deadline)));
      }
      for (Thread thread : threads) {
        thread.join();
      }
      if (failure.get() != null) {
        throw new AssertionError("a worker failed", failure.get());
      }
      WeakAllocStats stats = alloc.stats();
      String counts = String.format(
          "%s: %d gives (%d refused for pins, %d tryGive found it full), %d reads, %d misses,"
              + " %d held pins, %d frees, %d clears; %s",
          alloc, gives.sum(), refused.sum(), full.sum(), reads.sum(), misses.sum(), held.sum(),
          frees.sum(), clears.sum(), stats);
      if (Boolean.getBoolean("stress.verbose")) {
        System.out.println(counts);
      }
      assertThat(stats.evictions()).as("constant eviction in %s", counts).isGreaterThan(0);
      assertThat(reads.sum()).as("reads in %s", counts).isGreaterThan(0);
      checkQuiescent();
    }

    private void work(long seed, long deadline) {
      SplittableRandom random = new SplittableRandom(seed);
      Worker worker = new Worker(random);
      try {
        while (!stop.get() && System.nanoTime() < deadline) {
          worker.step();
        }
        worker.releaseAll();
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
        stop.set(true);
        worker.closeAllQuietly();
      }
    }

    /** A pin held across other operations, with the operation count at which to drop it. */
    record Held(ArcRef<byte[]> pin, Entry entry, long until) {}

    /** One thread's operations; only its thread touches it. */
    final class Worker {
      final SplittableRandom random;
      final ArrayDeque<Held> pins = new ArrayDeque<>();
      final byte[] scratch = new byte[MAX_VALUE];
      long ops;

      Worker(SplittableRandom random) {
        this.random = random;
      }

      void step() {
        ops++;
        if (!pins.isEmpty() && pins.peekFirst().until() <= ops) {
          release(pins.pollFirst());
        }
        int key = random.nextInt(KEYS);
        int roll = random.nextInt(10_000);
        if (roll < 2_500) {
          give(key, roll < 300);
        } else if (roll < 5_000) {
          upgrade(table.get(key));
        } else if (roll < 7_000) {
          getIfPresent(table.get(key));
        } else if (roll < 7_800) {
          free(table.get(key));
        } else if (roll < 7_801 && random.nextInt(4) == 0) {
          clear();
        } else if (roll < 9_000 && !pins.isEmpty()) {
          Held h = random.nextBoolean() ? pins.peekFirst() : pins.peekLast();
          verifyPinned(h, "a held pin");
        } else {
          checkStatsRunning();
        }
      }

      private void give(int key, boolean pinned) {
        long id = ids.incrementAndGet();
        byte[] value = newValue(id, random, lengths);
        long ended = clearsEnded.get();
        WeakRef<byte[]> ref;
        ArcRef<byte[]> pin = null;
        try {
          if (pinned && pins.size() < MAX_HELD_PINS) {
            pin = alloc.giveAndUpgrade(value, Codecs.bytes());
            ref = pin.downgrade();
          } else if (random.nextInt(10) == 0) {
            Optional<WeakRef<byte[]>> given = alloc.tryGive(value, Codecs.bytes());
            if (given.isEmpty()) {
              full.increment();
              return;
            }
            ref = given.get();
          } else {
            ref = alloc.give(value, Codecs.bytes());
          }
        } catch (RegionPinnedException e) {
          refused.increment();
          return;
        }
        gives.increment();
        Entry entry = new Entry(id, value.length, ref, ended, new AtomicBoolean());
        Entry old = table.getAndSet(key, entry);
        if (old != null) {
          remove(old); // every value given is in the table or freed: checkQuiescent counts on it
        }
        if (pin != null) {
          hold(pin, entry);
        }
      }

      private void upgrade(Entry entry) {
        if (entry == null) {
          return;
        }
        Optional<ArcRef<byte[]>> upgraded = entry.ref().upgrade();
        if (upgraded.isEmpty()) {
          misses.increment();
          return;
        }
        ArcRef<byte[]> pin = upgraded.get();
        boolean kept = false;
        try {
          if (random.nextBoolean()) {
            verify(entry, pin.get(), "ArcRef.get");
          } else {
            verifyView(entry, pin.bytes());
          }
          reads.increment();
          if (pins.size() < MAX_HELD_PINS && random.nextInt(4) == 0) {
            hold(pin, entry);
            kept = true;
          }
        } finally {
          if (!kept) {
            pin.close();
          }
        }
      }

      private void hold(ArcRef<byte[]> pin, Entry entry) {
        pins.addLast(new Held(pin, entry, ops + 1 + random.nextInt(200)));
        held.increment();
      }

      private void getIfPresent(Entry entry) {
        if (entry == null) {
          return;
        }
        byte[] value = entry.ref().getIfPresent();
        if (value == null) {
          misses.increment();
        } else {
          verify(entry, value, "getIfPresent");
          reads.increment();
        }
      }

      private void free(Entry entry) {
        if (entry != null) {
          remove(entry);
        }
      }

      /** Frees a value once; marks it freed first, so that whoever sees it gone sees why. */
      private void remove(Entry entry) {
        if (!entry.freed().compareAndSet(false, true)) {
          return;
        }
        alloc.free(entry.ref());
        frees.increment();
        check(!entry.ref().isPresent(), "a freed value is still present");
        check(!alloc.free(entry.ref()), "a value was freed twice");
        check(entry.ref().upgrade().isEmpty(), "a freed value was upgraded");
      }

      private void clear() {
        clearsBegun.incrementAndGet();
        alloc.clear();
        clearsEnded.incrementAndGet();
        clears.increment();
      }

      private void release(Held h) {
        try {
          verifyPinned(h, "a pin about to close");
        } finally {
          h.pin().close();
        }
        check(!h.pin().isOpen(), "a closed pin is open");
      }

      private void verifyPinned(Held h, String what) {
        if (random.nextBoolean()) {
          verify(h.entry(), h.pin().get(), what);
        } else {
          verifyView(h.entry(), h.pin().bytes());
        }
        Entry e = h.entry();
        boolean present = e.ref().isPresent(); // before the flags: removal sets them first
        boolean removedByTest = e.freed().get() || clearsBegun.get() > e.clearsEnded();
        check(present || removedByTest, "a pinned value was evicted: " + what + "; " + e.ref()
            + " with " + e.ref().pins() + " pins, id " + e.id());
      }

      private void verifyView(Entry entry, ByteView view) {
        int length = (int) view.size();
        check(length == entry.length(), "ByteView size " + length + " != " + entry.length());
        view.copyTo(0, scratch, 0, length);
        verifyBytes(entry, scratch, length, "ByteView.copyTo");
        int index = random.nextInt(length);
        check(view.get(index) == scratch[index], "ByteView.get disagrees with copyTo at " + index);
      }

      void releaseAll() {
        while (!pins.isEmpty()) {
          release(pins.pollFirst());
        }
      }

      void closeAllQuietly() {
        pins.forEach(h -> h.pin().close());
        pins.clear();
      }
    }

    private void verify(Entry entry, byte[] value, String how) {
      check(value.length == entry.length(), how + ": length " + value.length + " != "
          + entry.length() + " for id " + entry.id());
      verifyBytes(entry, value, value.length, how);
    }

    private static void verifyBytes(Entry entry, byte[] bytes, int length, String how) {
      ByteBuffer header = ByteBuffer.wrap(bytes);
      long id = header.getLong(0);
      int storedLength = header.getInt(8);
      int storedCrc = header.getInt(12);
      check(id == entry.id(), how + ": read value " + id + " instead of " + entry.id());
      check(storedLength == length, how + ": header length " + storedLength + " != " + length);
      check(storedCrc == crc(bytes, HEADER, length - HEADER), how + ": bad checksum, id " + id);
    }

    /** Invariants that hold at any moment, since a stats snapshot is taken under the lock. */
    private void checkStatsRunning() {
      WeakAllocStats s = alloc.stats();
      check(s.usedBytes() >= 0 && s.usedBytes() <= s.committedBytes(), "usedBytes " + s);
      check(s.valueBytes() >= 0 && s.valueBytes() <= s.usedBytes(), "valueBytes " + s);
      check(s.pinnedBytes() >= 0 && s.pinnedBytes() <= s.valueBytes(), "pinnedBytes " + s);
      check(s.liveValues() >= 0 && s.liveValues() <= s.allocatedBlocks(), "liveValues " + s);
    }

    private void checkQuiescent() {
      long live = 0;
      long valueBytes = 0;
      long blockBytes = 0;
      for (int key = 0; key < KEYS; key++) {
        Entry entry = table.get(key);
        if (entry != null && entry.ref().isPresent()) {
          live++;
          valueBytes += entry.ref().byteSize();
          blockBytes += entry.ref().blockBytes;
          byte[] value = entry.ref().getIfPresent();
          assertThat(value).as("a present value is readable").isNotNull();
          verify(entry, value, "quiescent getIfPresent");
        }
      }
      WeakAllocStats stats = alloc.stats();
      assertThat(stats.pinnedBytes()).as("pinnedBytes").isZero();
      assertThat(stats.leakedPins()).as("leakedPins").isZero();
      assertThat(stats.liveValues()).as("liveValues").isEqualTo(live);
      assertThat(stats.allocatedBlocks()).as("allocatedBlocks").isEqualTo(live);
      assertThat(stats.valueBytes()).as("valueBytes").isEqualTo(valueBytes);
      assertThat(stats.usedBytes()).as("usedBytes = sum of block sizes").isEqualTo(blockBytes);

      alloc.clear();
      WeakAllocStats cleared = alloc.stats();
      assertThat(cleared.usedBytes()).as("usedBytes after clear").isZero();
      assertThat(cleared.valueBytes()).as("valueBytes after clear").isZero();
      assertThat(cleared.liveValues()).as("liveValues after clear").isZero();
      assertThat(cleared.allocatedBlocks()).as("allocatedBlocks after clear").isZero();
      for (int key = 0; key < KEYS; key++) {
        Entry entry = table.get(key);
        assertThat(entry == null || !entry.ref().isPresent()).as("cleared").isTrue();
      }
    }

    private static void check(boolean condition, String message) {
      if (!condition) {
        throw new AssertionError(message);
      }
    }
  }
}
