package dev.weakalloc.samples.region;

import dev.weakalloc.jcache.configuration.MemoryBudget;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The main runnable: generates (or reuses) a world of region files, replays players walking about
 * it against the weak-alloc JCache provider (a {@link RegionCache}; pure LRU, then with TinyLFU
 * admission on its region), the raw allocator API (a {@link RawRegionCache}), no cache and
 * Caffeine at the same byte budget, and prints a table of requests, hits, misses, evictions, decompressions, peak use and time. With {@code
 * --metrics-port N} it serves the JVM's and the weak-alloc cache's metrics to Prometheus at
 * {@code http://127.0.0.1:N/metrics} while it runs.
 *
 * <pre>{@code ./mvnw -q -pl samples -am compile exec:java -Dexec.args="--budget 32MiB"}</pre>
 *
 * <p>Exit status: 0 on success, 1 if the world cannot be read or written or a run fails (a region
 * larger than the budget, say), 2 on a bad command line.
 */
public final class RegionFileDemo {
  private RegionFileDemo() {}

  /** Runs the demo; see {@link DemoOptions#USAGE} for the arguments. */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err, ProgressBar.isTerminal());
    if (status != 0) {
      System.exit(status);
    }
  }

  /** {@return the exit status} after running the demo with {@code args}. */
  static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println();
      err.print(DemoOptions.USAGE);
      return 2;
    }
    if (options.help()) {
      out.print(DemoOptions.USAGE);
      return 0;
    }
    long memory = MemoryBudget.availableMemory();
    if (options.budgetBytes() > memory) {
      err.printf(Locale.ROOT, "warning: --budget %s is more than the %s of memory this process may"
          + " use: the caches may never fill, or the machine may swap%n",
          Sizes.format(options.budgetBytes()), Sizes.format(memory));
    }
    try {
      List<RunResult> results = runAll(options, out, terminal);
      out.print(ResultTable.format(results));
      out.print(ResultTable.overBudgetNotes(results, options.budgetBytes()));
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("error: " + e.getMessage()); // e.g. a region larger than the whole budget
      return 1;
    }
  }

  private static List<RunResult> runAll(DemoOptions options, PrintStream out, boolean terminal)
      throws IOException {
    WorldGenerator generator = new WorldGenerator(options.seed(), options.worldSize());
    int regions = generator.regions().size();
    out.printf(Locale.ROOT, "World: %d x %d regions, seed %d, in %s%n", options.worldSize(),
        options.worldSize(), options.seed(), options.worldDir());
    long start = System.nanoTime();
    ProgressBar generating = new ProgressBar("generating", regions, out, terminal);
    WorldGenerator.World world = generator.ensure(options.worldDir(), options.threads(),
        generating::step);
    if (world.generated()) {
      generating.finish();
    }
    out.printf(Locale.ROOT, "  %d region files, %s decompressed (%s)%n", regions,
        Sizes.format(world.decompressedBytes()), world.generated()
            ? String.format(Locale.ROOT, "generated in %.1f s", (System.nanoTime() - start) / 1e9)
            : "reused");
    AccessPattern.Request[] requests =
        AccessPattern.generate(options.seed(), options.requests(), options.worldSize());
    out.printf(Locale.ROOT, "Replay: %d chunk requests from %d players, %d thread(s), budget %s%n",
        requests.length, AccessPattern.PLAYERS, options.threads(),
        Sizes.format(options.budgetBytes()));
    List<RunResult> rows = new ArrayList<>();
    try (MetricsServer metrics = options.metricsPort() == DemoOptions.NO_METRICS
        ? null : MetricsServer.start(options.metricsPort())) {
      MeterRegistry registry = metrics == null ? null : metrics.registry();
      if (metrics != null) {
        out.printf(Locale.ROOT, "Metrics: %s (Prometheus text format, while the demo runs)%n",
            metrics.uri());
      }
      for (Function<RegionFiles, RegionService> row : rows(options.budgetBytes(), registry)) {
        try (RegionService service = row.apply(new RegionFiles(world.dir()))) {
          ProgressBar progress = new ProgressBar(service.name(), requests.length, out, terminal);
          rows.add(Replay.run(service, requests, options.threads(), progress));
        }
      }
    }
    out.println();
    return rows;
  }

  /** The rows of the table, each a service over its own files. */
  private static List<Function<RegionFiles, RegionService>> rows(long budget,
      MeterRegistry registry) {
    List<Function<RegionFiles, RegionService>> rows = new ArrayList<>();
    rows.add(files -> new JCacheService(files, budget, registry));
    rows.add(files -> new JCacheService(files, budget, null, "tinylfu"));
    rows.add(files -> new WeakAllocService(files, budget));
    rows.add(NoCacheService::new);
    rows.add(files -> new CaffeineService(files, budget));
    return rows;
  }
}
