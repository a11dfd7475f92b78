package dev.weakalloc.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The load of one {@link GcPauses} child JVM: fills a cache with {@code cachedBytes} of values,
 * then does random gets at a fixed allocation rate, and prints one {@code GCLOAD} line with the
 * measured window (JVM uptime, to cut the GC log) and the CPU time of the GC threads against the
 * whole process's over that window.
 *
 * <p>The sides:
 *
 * <ul>
 *   <li>{@code ours}: this project's JCache provider, a region of its own of the data plus 1/16;
 *       a get decodes a fresh copy of the off-heap value.
 *   <li>{@code caffeine}: Caffeine's JCache provider store-by-value, maintenance on the calling
 *       thread, weighed to hold the same entries; a get clones the heap value.
 *   <li>{@code empty}: this project's provider with nothing in it; a get misses and the load then
 *       allocates the value's size itself.
 * </ul>
 *
 * <p>So every get allocates one {@code byte[]} of the value size, and gets are paced (one batch a
 * millisecond, catching up when late) so that the allocation rate is the same on every side. The
 * copies die at once: what the GC sees beyond them is the cache's own heap.
 *
 * <p>GC CPU is read from {@code /proc/self/task/<tid>/stat} of the threads named {@code GC
 * Thread#n} and {@code G1 ...} (parallel workers, refinement, marking, service); the process CPU
 * from {@code /proc/self/stat}. Linux only: elsewhere both are reported as -1.
 *
 * <p>Thread safety: a main, one thread.
 */
public final class GcLoad {
  private static final long MIB = 1L << 20;
  private static final String ENTRY_NAME = "gc-load";

  private GcLoad() {}

  /**
   * Runs the load: {@code side cachedBytes valueBytes warmupSeconds seconds mibPerSecond}.
   *
   * @param args the side ({@code ours}, {@code caffeine}, {@code empty}) and the figures
   */
  public static void main(String[] args) throws IOException {
    String side = args[0];
    long cachedBytes = Long.parseLong(args[1]);
    int valueBytes = Integer.parseInt(args[2]);
    double warmup = Double.parseDouble(args[3]);
    double seconds = Double.parseDouble(args[4]);
    long bytesPerSecond = Long.parseLong(args[5]) * MIB;
    int entries = (int) (cachedBytes / valueBytes);
    ByteCache cache = create(side, cachedBytes, entries, valueBytes);
    long fillNanos = fill(cache, side, entries, valueBytes);
    System.gc(); // the fill's garbage is gone before the window
    long heapAfterFill = usedHeap();
    double opsPerSecond = (double) bytesPerSecond / valueBytes;
    int keys = Math.max(1, entries);
    long sink = run(cache, keys, valueBytes, opsPerSecond, warmup);
    double start = uptimeSeconds();
    long[] cpuBefore = cpuTicks();
    long ops = (long) (opsPerSecond * seconds);
    sink += run(cache, keys, valueBytes, opsPerSecond, seconds);
    long[] cpuAfter = cpuTicks();
    double end = uptimeSeconds();
    System.out.printf(Locale.ROOT,
        "GCLOAD side=%s entries=%d valueBytes=%d fillSeconds=%.1f heapAfterFillMiB=%d ops=%d "
            + "start=%.3f end=%.3f gcCpuTicks=%d processCpuTicks=%d evictions=%d sink=%d%n",
        side, side.equals("empty") ? 0 : entries, valueBytes, fillNanos / 1e9, heapAfterFill / MIB, ops,
        start, end, cpuAfter[0] - cpuBefore[0], cpuAfter[1] - cpuBefore[1], cache.evictions(), sink & 1);
    cache.destroy();
  }

  private static ByteCache create(String side, long cachedBytes, int entries, int valueBytes) {
    return switch (side) {
      case "ours" -> ProviderCaches.create(ProviderCaches.WEAK_ALLOC, ENTRY_NAME, cachedBytes + cachedBytes / 16);
      case "caffeine" -> ProviderCaches.create(ProviderCaches.CAFFEINE_JCACHE_INLINE, ENTRY_NAME,
          (long) entries * (valueBytes + ProviderCaches.overhead()) + valueBytes);
      case "empty" -> ProviderCaches.create(ProviderCaches.WEAK_ALLOC, ENTRY_NAME, 64 * MIB);
      default -> throw new IllegalArgumentException("unknown side " + side + ": ours, caffeine or empty");
    };
  }

  /** Puts every entry (none for the empty side); {@return the nanoseconds it took} */
  private static long fill(ByteCache cache, String side, int entries, int valueBytes) {
    long started = System.nanoTime();
    if (!side.equals("empty")) {
      byte[] value = new byte[valueBytes];
      for (int key = 0; key < entries; key++) {
        value[key % valueBytes] = (byte) key;
        cache.put(key, value); // both sides store a copy
      }
    }
    return System.nanoTime() - started;
  }

  /**
   * Gets random keys for {@code seconds} at {@code opsPerSecond}, a batch each millisecond;
   * a miss allocates the value's size, as a hit's copy does. {@return a checksum, so nothing is
   * optimized away}
   */
  private static long run(ByteCache cache, int keys, int valueBytes, double opsPerSecond, double seconds) {
    SplittableRandom random = new SplittableRandom(42);
    long started = System.nanoTime();
    long total = (long) (opsPerSecond * seconds);
    long sink = 0;
    for (long done = 0; done < total; ) {
      long elapsed = System.nanoTime() - started;
      long due = Math.min(total, (long) (opsPerSecond * elapsed / 1e9) + 1);
      for (; done < due; done++) {
        byte[] value = cache.get(random.nextInt(keys));
        if (value == null) {
          value = new byte[valueBytes];
        }
        sink += value[(int) (done % value.length)];
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1) - (System.nanoTime() - started - elapsed) % 1_000_000);
    }
    return sink;
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double uptimeSeconds() {
    return ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
  }

  /** {@return clock ticks of CPU (user and system) of the GC threads and of the process, or -1s} */
  private static long[] cpuTicks() {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return new long[] {-1, -1};
    }
    long gc = 0;
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : threads.toList()) {
        String stat = readOrEmpty(thread.resolve("stat"));
        String name = stat.isEmpty() ? "" : stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
          gc += ticks(stat);
        }
      }
      return new long[] {gc, ticks(Files.readString(Path.of("/proc/self/stat")))};
    } catch (IOException e) {
      return new long[] {-1, -1};
    }
  }

  private static String readOrEmpty(Path stat) {
    try {
      return Files.readString(stat);
    } catch (IOException e) {
      return ""; // the thread ended meanwhile
    }
  }

  /** {@return utime + stime of a {@code stat} line: fields 14 and 15, counted after the name} */
  private static long ticks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
