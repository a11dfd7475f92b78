package dev.weakalloc.samples.region;

import dev.weakalloc.jcache.configuration.MemoryBudget;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The main runnable: generates (or reuses) a world of region files, or opens the user's own
 * Minecraft world read-only (see {@link ExistingWorld}), replays players walking about
 * it against the weak-alloc JCache provider (a {@link RegionCache}; pure LRU, then with TinyLFU
 * admission on its region), the raw allocator API (a {@link RawRegionCache}), no cache and
 * Caffeine at the same byte budget, and prints a table of requests, hits, misses, evictions,
 * decompressions, peak use and time.
 *
 * <p>With {@code --metrics-port N} it serves Prometheus at {@code http://127.0.0.1:N/metrics}
 * until it exits: the JVM's meters, and every row's from the moment the row starts, tagged {@code
 * row=<its name>}: Micrometer's cache meters ({@code cache_gets_total}, {@code cache_size}...) for
 * each cache, the provider's {@code weakalloc_region_*} for the JCache rows, and {@code
 * demo_decompressions_total} for every row. A row that finished keeps its final figures: its
 * cache reads empty, its region says {@code weakalloc_region_closed 1}, its counters stay.
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
    return run(args, out, err, terminal, server -> {});
  }

  /**
   * {@return the exit status} after running the demo with {@code args}; with metrics, {@code
   * atEnd} sees the server after the table is printed, before it stops (for tests).
   */
  static int run(String[] args, PrintStream out, PrintStream err, boolean terminal,
      Consumer<MetricsServer> atEnd) {
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
    try (MetricsServer metrics = options.metricsPort() == DemoOptions.NO_METRICS
        ? null : MetricsServer.start(options.metricsPort())) {
      List<RegionService> services = new ArrayList<>();
      List<RunResult> results = runAll(options, out, terminal, metrics, services);
      out.print(ResultTable.format(results));
      out.print(ResultTable.overBudgetNotes(results, options.budgetBytes()));
      if (metrics != null) {
        atEnd.accept(metrics);
      }
      Reference.reachabilityFence(services); // the meters hold them weakly: keep the final figures
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("error: " + e.getMessage()); // e.g. a region larger than the whole budget
      return 1;
    }
  }

  /**
   * Runs every row, binding each to the metrics server's registry if there is one, and adds its
   * service (closed) to {@code services}.
   */
  private static List<RunResult> runAll(DemoOptions options, PrintStream out, boolean terminal,
      MetricsServer metrics, List<RegionService> services) throws IOException {
    Optional<ExistingWorld> existing = ExistingWorld.find(options.worldDir());
    Path dir;
    AccessPattern.Request[] requests;
    if (existing.isPresent()) {
      ExistingWorld world = existing.get();
      dir = world.dir();
      out.printf(Locale.ROOT, "World: %d region files of your own (%s on disk) in %s, opened"
          + " read-only: nothing is written there; --world-size does not apply%n",
          world.regions().size(), Sizes.format(world.fileBytes()), dir);
      requests = AccessPattern.generate(options.seed(), options.requests(), world.area());
    } else {
      dir = generatedWorld(options, out, terminal);
      requests = AccessPattern.generate(options.seed(), options.requests(), options.worldSize());
    }
    out.printf(Locale.ROOT, "Replay: %d chunk requests from %d players, %d thread(s), budget %s%n",
        requests.length, AccessPattern.PLAYERS, options.threads(),
        Sizes.format(options.budgetBytes()));
    List<RunResult> rows = new ArrayList<>();
    if (metrics != null) {
      out.printf(Locale.ROOT, "Metrics: %s (Prometheus text format, every row tagged row=<name>,"
          + " until the demo exits)%n", metrics.uri());
    }
    for (Function<RegionFiles, RegionService> row : rows(options.budgetBytes())) {
      try (RegionService service = row.apply(new RegionFiles(dir))) {
        services.add(service);
        if (metrics != null) {
          bind(service, metrics.registry());
        }
        ProgressBar progress = new ProgressBar(service.name(), requests.length, out, terminal);
        rows.add(Replay.run(service, requests, options.threads(), progress));
      }
    }
    out.println();
    return rows;
  }

  /** {@return the folder of the world generated (or reused) for the options} */
  private static Path generatedWorld(DemoOptions options, PrintStream out, boolean terminal)
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
    return world.dir();
  }

  /** Binds the row's cache and its decompressions, tagged with the row's name. */
  private static void bind(RegionService service, MeterRegistry registry) {
    Tags row = Tags.of("row", service.name());
    service.bindTo(registry, row);
    FunctionCounter.builder("demo.decompressions", service.files(), RegionFiles::decompressions)
        .tags(row)
        .description("The region files the row read and decompressed: its misses")
        .register(registry);
  }

  /** The rows of the table, each a service over its own files. */
  private static List<Function<RegionFiles, RegionService>> rows(long budget) {
    List<Function<RegionFiles, RegionService>> rows = new ArrayList<>();
    rows.add(files -> new JCacheService(files, budget));
    rows.add(files -> new JCacheService(files, budget, "tinylfu"));
    rows.add(files -> new WeakAllocService(files, budget));
    rows.add(NoCacheService::new);
    rows.add(files -> new CaffeineService(files, budget));
    return rows;
  }
}
