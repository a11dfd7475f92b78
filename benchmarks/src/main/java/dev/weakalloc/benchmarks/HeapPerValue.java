package dev.weakalloc.benchmarks;

import dev.weakalloc.Codecs;
import dev.weakalloc.WeakAlloc;
import dev.weakalloc.WeakRef;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The heap a cached value costs beyond its key (issue 13 asks for at most 64 B at 1,000,000
 * entries), measured, with the objects that make it up. A plain {@code main}, no JMH:
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.weakalloc.benchmarks.HeapPerValue [entries [valueBytes]]
 * }</pre>
 *
 * <p>For each side it takes a class histogram of the heap (the JDK's {@code GC.class_histogram},
 * through the {@code DiagnosticCommand} MBean, which runs a full GC first), fills the side with
 * {@code entries} values of {@code valueBytes} bytes (default 1,000,000 of 16 B), takes another,
 * and prints the difference per class: instances, bytes and bytes per value. The sides:
 *
 * <ul>
 *   <li>{@code jcache}: this project's JCache cache ({@link ProviderCaches#WEAK_ALLOC}), {@code
 *       Integer} keys; the figure excludes the keys ({@code java.lang.Integer}, 16 B each).
 *   <li>{@code allocator}: the raw API, {@code give(value, Codecs.bytes())}, the handles kept in
 *       one array; the figure excludes that array (4 B a handle), which is the caller's.
 * </ul>
 *
 * <p>Thread safety: a program, single-threaded. Memory: each side's region is closed before the
 * next side is measured.
 */
public final class HeapPerValue {
  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  private static final long REGION_SLACK = 64L << 20;

  private HeapPerValue() {}

  /** One class's share of a side's heap: instances and shallow bytes added by the fill. */
  record Row(String className, long instances, long bytes) {}

  /** A side's measurement: its rows and the bytes per value the figure excludes. */
  record Result(String side, int entries, List<Row> rows, long excludedBytes, long heapUsedDelta) {
    /** {@return the heap per value, beyond what the side's caller holds (keys, handle array)} */
    double bytesPerValue() {
      long total = rows.stream().mapToLong(Row::bytes).sum();
      return (double) (total - excludedBytes) / entries;
    }
  }

  /**
   * Measures both sides and prints their tables.
   *
   * @param args {@code [entries [valueBytes]]}, default 1,000,000 and 16
   */
  public static void main(String[] args) throws JMException {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int valueBytes = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    print(jcache(entries, valueBytes), System.out);
    print(allocator(entries, valueBytes), System.out);
  }

  /** {@return the heap this project's JCache cache adds for {@code entries} values} */
  static Result jcache(int entries, int valueBytes) throws JMException {
    Map<String, long[]> before = histogram();
    long usedBefore = heapUsed();
    ByteCache cache = ProviderCaches.create(ProviderCaches.WEAK_ALLOC, "heap-per-value",
        ScaleBenchmark.budget(entries, valueBytes) + REGION_SLACK);
    Map<Integer, byte[]> batch = new HashMap<>();
    for (int i = 0; i < entries; i++) {
      batch.put(i, ScaleBenchmark.value(i, valueBytes));
      if (batch.size() == ScaleBenchmark.FILL_BATCH || i == entries - 1) {
        cache.putAll(batch);
        batch.clear();
      }
    }
    batch = null;
    List<Row> rows = difference(before, histogram());
    long used = heapUsed() - usedBefore;
    long keys = rows.stream().filter(r -> r.className().equals("java.lang.Integer"))
        .mapToLong(Row::bytes).sum();
    if (cache.evictions() != 0) {
      throw new IllegalStateException("the cache evicted " + cache.evictions() + " values");
    }
    cache.destroy();
    return new Result("jcache", entries, rows, keys, used);
  }

  /** {@return the heap the raw allocator API adds for {@code entries} values} */
  static Result allocator(int entries, int valueBytes) throws JMException {
    Map<String, long[]> before = histogram();
    long usedBefore = heapUsed();
    WeakAlloc alloc = WeakAlloc.withCapacity(ScaleBenchmark.budget(entries, valueBytes) + REGION_SLACK);
    WeakRef<?>[] handles = new WeakRef<?>[entries];
    for (int i = 0; i < entries; i++) {
      handles[i] = alloc.give(ScaleBenchmark.value(i, valueBytes), Codecs.bytes());
    }
    List<Row> rows = difference(before, histogram());
    long used = heapUsed() - usedBefore;
    long holder = 16 + 4L * entries; // the caller's array of handles (compressed references)
    if (alloc.stats().evictions() != 0 || !handles[entries - 1].isPresent()) {
      throw new IllegalStateException("the region evicted: " + alloc.stats());
    }
    Reference.reachabilityFence(handles);
    alloc.close();
    return new Result("allocator", entries, rows, holder, used);
  }

  /** Prints a side's rows (the classes that add at least half a byte per value) and its figure. */
  static void print(Result result, PrintStream out) {
    out.printf(Locale.ROOT, "%s, %,d values: heap per value %.1f B (beyond %s); heap used after GC"
            + " grew %.1f B per value (MemoryMXBean)%n",
        result.side(), result.entries(), result.bytesPerValue(),
        result.side().equals("jcache") ? "the Integer keys" : "the caller's array of handles",
        (double) result.heapUsedDelta() / result.entries());
    out.printf(Locale.ROOT, "  %-60s %12s %14s %8s%n", "class", "instances", "bytes", "B/value");
    for (Row row : result.rows()) {
      if (2 * Math.abs(row.bytes()) >= result.entries()) {
        out.printf(Locale.ROOT, "  %-60s %,12d %,14d %8.1f%n", row.className(), row.instances(),
            row.bytes(), (double) row.bytes() / result.entries());
      }
    }
  }

  /** {@return the classes whose instances or bytes changed, most bytes first} */
  static List<Row> difference(Map<String, long[]> before, Map<String, long[]> after) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      long[] was = before.getOrDefault(e.getKey(), new long[2]);
      long instances = e.getValue()[0] - was[0];
      long bytes = e.getValue()[1] - was[1];
      if (instances != 0 || bytes != 0) {
        rows.add(new Row(e.getKey(), instances, bytes));
      }
    }
    rows.sort(Comparator.comparingLong(Row::bytes).reversed());
    return rows;
  }

  /** {@return instances and bytes per class of the live heap, after a full GC} */
  static Map<String, long[]> histogram() throws JMException {
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    return parse(text);
  }

  /** {@return the rows of a {@code GC.class_histogram} text, by class name} */
  static Map<String, long[]> parse(String histogram) {
    Map<String, long[]> classes = new HashMap<>();
    for (String line : histogram.split("\n")) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        classes.merge(row.group(3),
            new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))},
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
    }
    return classes;
  }

  private static long heapUsed() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
