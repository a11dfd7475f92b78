package dev.weakalloc.benchmarks;

import dev.weakalloc.Codecs;
import dev.weakalloc.WeakAlloc;
import dev.weakalloc.benchmarks.plot.LineChart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The process's resident memory against the bytes written into a region: a region of 1 GiB and
 * one of 64 GiB (more than this 24 GiB machine has), each in a child JVM of its own, written with
 * values of 1 MiB less 64 bytes (thirty-two to a 32 MiB chunk) up to {@code writtenGib}. The small
 * region's RSS grows with the writes and stops at its capacity (eviction); the large one's follows
 * the writes, committing only what it holds. Prints the table and draws it:
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.weakalloc.benchmarks.RegionRss [png [writtenGib]]
 * }</pre>
 *
 * <p>RSS is {@code VmRSS} of {@code /proc/self/status} less the same figure before the region,
 * in a child with a fixed, pre-touched heap ({@code -Xms128m -Xmx128m -XX:+AlwaysPreTouch}), so
 * that only the region moves it. Linux only. Each region gets a fresh process, so that both start
 * from the same baseline (a closed region gives its chunks back, even in a process that had other
 * regions: see the allocator's {@code MemoryHonestyTest}).
 *
 * <p>Thread safety: a main, one thread.
 */
public final class RegionRss {
  private static final long MIB = 1L << 20;
  private static final long SAMPLE_EVERY = 64 * MIB;

  private RegionRss() {}

  /**
   * Draws the chart to {@code png} (default {@code docs/images/region-rss.png}) after writing
   * {@code writtenGib} (default 3) into each region; {@code child capacityBytes writtenBytes} is
   * one region's run, printing {@code written rss} lines in MiB.
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 3 && args[0].equals("child")) {
      writeAndSample(Long.parseLong(args[1]), Long.parseLong(args[2]));
      return;
    }
    Path png = Path.of(args.length > 0 ? args[0] : "docs/images/region-rss.png");
    long written = (long) ((args.length > 1 ? Double.parseDouble(args[1]) : 3) * 1024) * MIB;
    LineChart chart = new LineChart("Resident memory against bytes written (1 MiB values)",
        "MiB written", "RSS growth (MiB)");
    for (long capacity : new long[] {1024 * MIB, 64L << 30}) {
      double[][] points = points(ChildJvm.run(List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch",
          "-XX:+UseSerialGC"), RegionRss.class, List.of("child", Long.toString(capacity), Long.toString(written))));
      String name = (capacity >>> 30) + " GiB region";
      System.out.printf(Locale.ROOT, "%s: MiB written %s%n  RSS growth MiB %s%n", name,
          Arrays.toString(points[0]), Arrays.toString(points[1]));
      chart.line(name, points[0], points[1]);
    }
    chart.horizontalLine("capacity of the 1 GiB region", 1024).writePng(png);
  }

  private static double[][] points(List<String> lines) {
    List<double[]> rows = new ArrayList<>();
    for (String line : lines) {
      String[] fields = line.split(" ");
      rows.add(new double[] {Double.parseDouble(fields[0]), Double.parseDouble(fields[1])});
    }
    return new double[][] {
      rows.stream().mapToDouble(r -> r[0]).toArray(), rows.stream().mapToDouble(r -> r[1]).toArray()};
  }

  /** In the child: writes values and prints "MiB written, RSS growth in MiB" every 64 MiB. */
  private static void writeAndSample(long capacity, long written) throws IOException {
    byte[] value = new byte[(int) MIB - 64];
    Arrays.fill(value, (byte) 0x5A);
    long baseline = residentBytes();
    System.out.println("0 0");
    try (WeakAlloc alloc = WeakAlloc.withCapacity(capacity)) {
      for (long done = MIB; done <= written; done += MIB) {
        alloc.give(value, Codecs.bytes());
        if (done % SAMPLE_EVERY == 0) {
          System.out.println(done / MIB + " " + (residentBytes() - baseline) / MIB);
        }
      }
    }
  }

  private static long residentBytes() throws IOException {
    String status = Files.readString(Path.of("/proc/self/status"));
    String line = status.lines().filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
  }
}
