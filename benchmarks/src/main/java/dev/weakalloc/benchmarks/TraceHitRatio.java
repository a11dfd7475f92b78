package dev.weakalloc.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.tukaani.xz.XZInputStream;

/**
 * Prints the hit ratio of cache-aside through each JCache provider, pure LRU and TinyLFU
 * admission, against an exact LRU, on public traces that Caffeine's simulator bundles. Each trace
 * is replayed once by one thread, cold start included, with 1 KiB values and a budget of a
 * fraction of its distinct keys. Not a timing benchmark.
 *
 * <p>Two kinds of trace are read: the LIRS paper's block traces, named alone ({@code loop}), one
 * key per line (lines that are not a number, such as the {@code *} checkpoints, are skipped); and
 * the cache2k project's traces, named {@code cache2k/NAME}, xz-compressed big-endian 32-bit keys
 * (as the simulator's {@code Cache2kTraceReader} reads them). {@code cache2k/orm-busy} is a
 * database trace: the entity cache of an object-relational mapper in front of an e-commerce
 * site's database, at a busy time (5,000,000 requests over 76,349 keys).
 *
 * <p>The traces are read from the simulator's jar ({@code
 * com.github.ben-manes.caffeine:simulator:3.2.3}, 96 MB), which is not a dependency of this
 * module, so that the build stays light. Fetch it once and run:
 *
 * <pre>{@code
 * ./mvnw -q dependency:get -Dartifact=com.github.ben-manes.caffeine:simulator:3.2.3 -Dtransitive=false
 * java -cp benchmarks/target/benchmarks.jar dev.weakalloc.benchmarks.TraceHitRatio \
 *     [simulator.jar [budgetFraction [trace...]]]
 * }</pre>
 *
 * <p>Defaults: the jar in {@code ~/.m2}, a budget of a quarter of each trace's distinct keys, the
 * traces {@code loop} (a loop larger than the cache: a scan), {@code multi2} (several programs
 * interleaved), {@code sprite} (a file server), {@code 2_pools} (two pools of different
 * popularity) and {@code cache2k/orm-busy} (a database).
 *
 * <p>Thread safety: single-threaded by design.
 */
public final class TraceHitRatio {
  private static final String PARSERS = "com/github/benmanes/caffeine/cache/simulator/parser/";
  /** The folder of the cache2k traces in the simulator's jar, and their name prefix here. */
  static final String CACHE2K = "cache2k/";
  /** The simulator's jar where {@code dependency:get} puts it. */
  static final Path DEFAULT_JAR = Path.of(System.getProperty("user.home"),
      ".m2/repository/com/github/ben-manes/caffeine/simulator/3.2.3/simulator-3.2.3.jar");

  private TraceHitRatio() {}

  /** Runs the tables; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    Path jar = args.length > 0 ? Path.of(args[0]) : DEFAULT_JAR;
    double fraction = args.length > 1 ? Double.parseDouble(args[1]) : 0.25;
    List<String> traces = args.length > 2
        ? List.of(args).subList(2, args.length)
        : List.of("loop", "multi2", "sprite", "2_pools", "cache2k/orm-busy");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (String trace : traces) {
        int[] keys = read(zip, trace);
        print(trace, keys, fraction, run(keys, fraction), System.out);
      }
    }
  }

  /**
   * {@return the keys of a trace in the simulator's jar} {@code cache2k/NAME} is a cache2k trace,
   * any other name a LIRS trace.
   */
  static int[] read(ZipFile zip, String trace) throws IOException {
    return trace.startsWith(CACHE2K) ? readCache2k(zip, trace) : readLirs(zip, trace);
  }

  private static ZipEntry entry(ZipFile zip, String path, String trace) {
    ZipEntry entry = zip.getEntry(PARSERS + path);
    if (entry == null) {
      throw new IllegalArgumentException("no trace " + trace + " (" + path + ") in " + zip.getName());
    }
    return entry;
  }

  private static int[] readLirs(ZipFile zip, String trace) throws IOException {
    var entry = entry(zip, "lirs/" + trace + ".trace.gz", trace);
    try (InputStream in = new GZIPInputStream(zip.getInputStream(entry));
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      return lines.lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && Character.isDigit(line.charAt(0)))
          .mapToInt(line -> (int) Long.parseLong(line))
          .toArray();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** A cache2k trace: an xz stream of big-endian {@code int} keys, nothing else. */
  private static int[] readCache2k(ZipFile zip, String trace) throws IOException {
    var entry = entry(zip, trace + ".trace.xz", trace);
    try (InputStream in = new XZInputStream(new BufferedInputStream(zip.getInputStream(entry)))) {
      ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes());
      if (bytes.remaining() % Integer.BYTES != 0) {
        throw new IOException(trace + ": " + bytes.remaining() + " bytes, not a whole number of int keys");
      }
      int[] keys = new int[bytes.remaining() / Integer.BYTES];
      bytes.asIntBuffer().get(keys);
      return keys;
    }
  }

  static long distinct(int[] keys) {
    Set<Integer> seen = new HashSet<>();
    for (int key : keys) {
      seen.add(key);
    }
    return seen.size();
  }

  /** Drives every cache with the trace, at a budget of {@code fraction} of its distinct keys. */
  static List<HitRatio.Row> run(int[] keys, double fraction) {
    return run(keys, budget(distinct(keys), fraction));
  }

  /** {@return the budget in bytes for {@code fraction} of {@code keys} values of 1 KiB (64 KiB at least)} */
  static long budget(long keys, double fraction) {
    int block = HitRatio.VALUE_SIZE + ProviderCaches.overhead();
    return Math.max(64 << 10, (long) (keys * fraction) * block);
  }

  /**
   * Drives every cache with {@code keys} at {@code budget} bytes, in this order: exact LRU charged
   * the region's block, weak-alloc LRU, weak-alloc TinyLFU, Caffeine's JCache.
   */
  static List<HitRatio.Row> run(int[] keys, long budget) {
    int block = HitRatio.VALUE_SIZE + ProviderCaches.overhead();
    List<SimulatedCache> caches = List.of(
        new SimulatedCache.ExactLru(budget, block, "exact LRU"),
        new SimulatedCache.JCacheAside(ProviderCaches.WEAK_ALLOC, budget, HitRatio.VALUE_SIZE),
        new SimulatedCache.JCacheAside(
            ProviderCaches.WEAK_ALLOC_TINY_LFU, budget, HitRatio.VALUE_SIZE),
        new SimulatedCache.JCacheAside(ProviderCaches.CAFFEINE_JCACHE, budget, HitRatio.VALUE_SIZE));
    List<HitRatio.Row> rows = new ArrayList<>();
    for (SimulatedCache cache : caches) {
      try (cache) {
        long started = System.nanoTime();
        long hits = 0;
        for (int key : keys) {
          if (cache.access(key)) {
            hits++;
          }
        }
        rows.add(new HitRatio.Row(cache.name(), keys.length, hits, System.nanoTime() - started));
      }
    }
    return rows;
  }

  static void print(String trace, int[] keys, double fraction, List<HitRatio.Row> rows,
      PrintStream out) {
    long distinct = distinct(keys);
    out.printf(Locale.ROOT, "trace %s: %,d requests over %,d keys, budget %.0f%% of the keys"
        + " (%,d values of %d B)%n", trace, keys.length, distinct, fraction * 100,
        Math.max((64 << 10) / (HitRatio.VALUE_SIZE + ProviderCaches.overhead()),
            (long) (distinct * fraction)), HitRatio.VALUE_SIZE);
    double reference = rows.getFirst().ratio();
    for (HitRatio.Row row : rows) {
      out.printf(Locale.ROOT, "  %-26s %,10d %9.2f%% %+9.2f pp%n",
          row.name(), row.hits(), row.ratio() * 100, (row.ratio() - reference) * 100);
    }
  }
}
