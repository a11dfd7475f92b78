package dev.weakalloc.benchmarks;

import dev.weakalloc.MemoryAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a closed region leaves in the process: regions opened one after another in one child JVM,
 * each filled (every chunk committed) and closed, with the process's RSS growth while full and
 * what is left after close, in MiB. Shows glibc's dynamic mmap threshold at work: a chunk request
 * over 32 MiB (the default chunk and its header room) is always mapped and goes back on close;
 * a smaller one comes from {@code malloc}'s heap, and stays, once the process has freed a mapping
 * at least its size.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.weakalloc.benchmarks.RegionsAfterClose [run ...]
 * }</pre>
 *
 * <p>Each {@code run} is one child JVM: a comma-separated list of regions, each {@code
 * capacityMiB} (the default chunk) or {@code capacityMiB:chunkMiB}, e.g. {@code 512:16,512:16}.
 * Without arguments it runs the cases of the README. The child has a fixed, pre-touched heap and
 * runs interpreted ({@code -Xms96m -Xmx96m -XX:+AlwaysPreTouch -XX:+UseSerialGC -Xint}, as the
 * allocator's {@code MemoryHonestyTest}), so that only the regions move its RSS. Linux only.
 *
 * <p>Thread safety: a main, one thread.
 */
public final class RegionsAfterClose {
  private static final long MIB = 1L << 20;
  private static final List<String> DEFAULT_RUNS = List.of(
      "512:16,512:16,512:16", "512,512,512", "40,40,40", "8,8,8", "1,1,1", "8,512,8", "8:16,8:16,8:16");

  private RegionsAfterClose() {}

  /** Runs each argument (or the default runs) in a child JVM; {@code child run} is one child. */
  public static void main(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("child")) {
      child(args[1].split(","));
      return;
    }
    List<String> runs = args.length > 0 ? List.of(args) : DEFAULT_RUNS;
    System.out.println("run | region (capacity/chunk MiB) | RSS growth full | left after close (MiB)");
    for (String run : runs) {
      List<String> lines = ChildJvm.run(List.of("-Xms96m", "-Xmx96m", "-XX:+AlwaysPreTouch",
          "-XX:+UseSerialGC", "-Xint"), RegionsAfterClose.class, List.of("child", run));
      for (String line : lines) {
        System.out.println(run + " | " + line);
      }
    }
  }

  /** In the child: fills and closes each region in turn, printing one line for each. */
  private static void child(String[] regions) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String region : regions) {
      String[] sizes = region.split(":");
      long capacity = Long.parseLong(sizes[0]) * MIB;
      long baseline = residentBytes();
      long full;
      try (MemoryAllocator allocator = sizes.length == 1 ? MemoryAllocator.region(capacity)
          : MemoryAllocator.region(capacity, Long.parseLong(sizes[1]) * MIB)) {
        fill(allocator);
        full = residentBytes() - baseline;
      }
      long left = residentBytes() - baseline;
      lines.add(String.format(Locale.ROOT, "%s | %.1f | %.1f", region, full / (double) MIB, left / (double) MIB));
    }
    lines.forEach(System.out::println);
  }

  /** Allocates until the region is full: every chunk committed (the arena zeroes, so touches, each). */
  private static void fill(MemoryAllocator allocator) {
    long size = Math.min(allocator.maxAllocation(), MIB - 64);
    while (allocator.allocate(size) != MemoryAllocator.NO_ROOM) {
      // the blocks go with the region
    }
  }

  private static long residentBytes() throws IOException {
    String status = Files.readString(Path.of("/proc/self/status"));
    String line = status.lines().filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
  }
}
