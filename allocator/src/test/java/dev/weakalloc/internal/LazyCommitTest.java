package dev.weakalloc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.Codecs;
import dev.weakalloc.WeakAlloc;
import dev.weakalloc.WeakRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Memory is committed as it is used: a region of 16 GiB on this 24 GiB machine, after 64 MiB of
 * values are written, holds about 64 MiB of resident memory (two whole chunks of the default 32
 * MiB), not 16 GiB.
 *
 * <p>Reads {@code /proc/self/pagemap} (Linux only): the resident pages of the region's chunks are
 * exact, where the process's {@code VmRSS} also moves with the Java heap (and a chunk may share a
 * mapping with other {@code malloc} memory). The process figure is still checked, as an upper
 * bound.
 */
@EnabledOnOs(OS.LINUX)
class LazyCommitTest {
  private static final long GIB = 1L << 30;
  private static final long MIB = 1L << 20;
  private static final long CHUNK = RegionAllocator.DEFAULT_CHUNK_SIZE;

  @Test
  void give_sixtyFourMiBIntoSixteenGiBRegion_commitsAboutSixtyFourMiB() throws IOException {
    byte[] value = new byte[(int) MIB - 64]; // one reusable heap buffer: the heap stays flat
    Arrays.fill(value, (byte) 0x5A);
    long processBefore = processResidentBytes();
    RegionAllocator region = new RegionAllocator(16 * GIB, CHUNK);

    try (WeakAlloc alloc = WeakAlloc.over(region)) {
      assertThat(region.committedBytes()).as("committed at creation").isZero();
      List<WeakRef<byte[]>> refs = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        refs.add(alloc.give(value, Codecs.bytes()));
      }

      long regionResident = residentBytesOf(region.committedChunkAddresses(), CHUNK);
      long processGrowth = processResidentBytes() - processBefore;

      assertThat(alloc.capacity()).isEqualTo(16 * GIB);
      // 1 MiB - 64 bytes of payload + a 16-byte header: 32 blocks fill a 32 MiB chunk exactly
      assertThat(region.committedBytes()).isEqualTo(64 * MIB / CHUNK * (CHUNK + RegionAllocator.headerRoom(CHUNK)));
      assertThat(regionResident)
          .as("resident bytes of the region's chunks")
          .isBetween(64 * MIB, region.committedBytes() + 2 * 4096L * region.committedChunkAddresses().length);
      assertThat(processGrowth)
          .as("process RSS growth after 64 MiB written into a 16 GiB region")
          .isLessThan(64 * MIB + 3 * CHUNK);
      assertThat(refs).allMatch(WeakRef::isPresent);
    }
  }

  /**
   * Counts the resident pages of the given ranges in /proc/self/pagemap: one 64-bit entry per
   * virtual page, bit 63 set when the page is present in RAM.
   */
  private static long residentBytesOf(long[] addresses, long length) throws IOException {
    long page = 4096;
    long resident = 0;
    try (FileChannel pagemap = FileChannel.open(Path.of("/proc/self/pagemap"), StandardOpenOption.READ)) {
      for (long address : addresses) {
        long first = address / page;
        long pages = (address + length + page - 1) / page - first;
        ByteBuffer entries = ByteBuffer.allocate((int) pages * 8).order(ByteOrder.nativeOrder());
        while (entries.hasRemaining()) {
          if (pagemap.read(entries, first * 8 + entries.position()) < 0) {
            break;
          }
        }
        entries.flip();
        while (entries.remaining() >= 8) {
          if (entries.getLong() < 0) { // bit 63: present
            resident += page;
          }
        }
      }
    }
    return resident;
  }

  private static long processResidentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
