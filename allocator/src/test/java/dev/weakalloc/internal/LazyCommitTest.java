package dev.weakalloc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.Codecs;
import dev.weakalloc.WeakAlloc;
import dev.weakalloc.WeakRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Memory is committed as it is used: a region of 16 GiB on this 24 GiB machine, after 64 MiB of
 * values are written, holds about 64 MiB of resident memory (whole 16 MiB chunks), not 16 GiB.
 *
 * <p>Reads {@code /proc/self/smaps} (Linux only): the resident bytes of the mappings that hold the
 * region's chunks are exact, where the process's {@code VmRSS} also moves with the Java heap. The
 * process figure is still checked, as an upper bound.
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

      long regionResident = residentBytesOfMappingsHolding(region.committedChunkAddresses());
      long processGrowth = processResidentBytes() - processBefore;

      assertThat(alloc.capacity()).isEqualTo(16 * GIB);
      // 1 MiB - 64 bytes of payload + a 16-byte header: 16 blocks fill a 16 MiB chunk exactly
      assertThat(region.committedBytes()).isEqualTo(4 * CHUNK);
      assertThat(regionResident)
          .as("resident bytes of the region's chunks")
          .isBetween(64 * MIB, region.committedBytes() + 5 * 4096);
      assertThat(processGrowth)
          .as("process RSS growth after 64 MiB written into a 16 GiB region")
          .isLessThan(64 * MIB + 3 * CHUNK);
      assertThat(refs).allMatch(WeakRef::isPresent);
    }
  }

  /** Sums the {@code Rss} of the distinct mappings in /proc/self/smaps that contain the addresses. */
  private static long residentBytesOfMappingsHolding(long[] addresses) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
    Set<String> counted = new HashSet<>();
    long total = 0;
    String mapping = null;
    boolean holdsChunk = false;
    for (String line : lines) {
      if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
        mapping = line;
        String[] range = line.substring(0, line.indexOf(' ')).split("-");
        long start = Long.parseUnsignedLong(range[0], 16);
        long end = Long.parseUnsignedLong(range[1], 16);
        holdsChunk = Arrays.stream(addresses).anyMatch(a -> a >= start && a < end);
      } else if (holdsChunk && line.startsWith("Rss:") && counted.add(mapping)) {
        total += Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
      }
    }
    return total;
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
