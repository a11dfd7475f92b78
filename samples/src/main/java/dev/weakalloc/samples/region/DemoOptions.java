package dev.weakalloc.samples.region;

import dev.weakalloc.jcache.configuration.DeclarativeConfiguration;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The command-line options of {@link RegionFileDemo}, parsed. Options take their value as the next
 * argument or after {@code =}: {@code --budget 64MiB}, {@code --budget=64MiB}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param worldSize regions along each side of the world
 * @param budgetBytes the byte budget of every cache
 * @param threads the threads that replay the requests and generate the world
 * @param seed the seed of the world and of the players' walks
 * @param requests the chunk requests to replay
 * @param worldDir the folder of the world, generated if it does not hold this one
 * @param metricsPort the loopback port to serve Prometheus metrics on until the demo exits, 0 for
 *     any free port, -1 for none
 * @param help whether to print the usage and stop
 */
record DemoOptions(int worldSize, long budgetBytes, int threads, long seed, int requests,
    Path worldDir, int metricsPort, boolean help) {

  /** The value of {@link #metricsPort} when no metrics are served. */
  static final int NO_METRICS = -1;

  static final String USAGE = """
      Usage: RegionFileDemo [options]

      Replays players walking about a Minecraft-like world against region-file caches at the
      same byte budget: weak-alloc through JCache (pure LRU, then with TinyLFU admission),
      weak-alloc through its raw API, no cache, and Caffeine; then prints a table of the
      results. The world is generated on the first
      run and reused afterwards.

      Options:
        --world-size N     regions along each side of the world (default 6: 36 regions)
        --budget SIZE      byte budget of each cache, at least 1MiB: e.g. 64MiB, 1GiB, 10% (of
                           the memory the process may use) (default 64MiB)
        --threads N        threads replaying the requests (default 2)
        --seed N           seed of the world and of the walks (default 42)
        --requests N       chunk requests to replay (default 2000)
        --world-dir DIR    folder of the world (default ~/.cache/weakalloc-demo/world); a
                           folder of your own Minecraft region files (r.X.Z.mca), or a save
                           folder holding region/, is opened read-only and replayed instead
        --metrics-port N   serve Prometheus metrics at http://127.0.0.1:N/metrics until the
                           demo exits: every row's cache, tagged row=<name> (0: any free port)
        --help             print this help and exit
      """;

  /** {@return the options with every default} */
  static DemoOptions defaults() {
    Path home = Path.of(System.getProperty("user.home"));
    return new DemoOptions(6, 64L << 20, 2, 42, 2000,
        home.resolve(".cache").resolve("weakalloc-demo").resolve("world"), NO_METRICS, false);
  }

  /**
   * {@return the options {@code args} give, defaults for the others}
   *
   * @throws UsageException if an option is unknown, lacks its value or has a bad one
   */
  private static final java.util.Set<String> OPTIONS = java.util.Set.of("--help", "-h",
      "--world-size", "--budget", "--threads", "--seed", "--requests", "--world-dir",
      "--metrics-port");

  static DemoOptions parse(String... args) throws UsageException {
    DemoOptions options = defaults();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      if (!OPTIONS.contains(name)) {
        throw new UsageException("unknown option: " + name);
      }
      if (name.equals("--help") || name.equals("-h")) {
        return new DemoOptions(options.worldSize, options.budgetBytes, options.threads,
            options.seed, options.requests, options.worldDir, options.metricsPort, true);
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("option " + name + " needs a value");
      }
      options = options.set(name, value);
    }
    return options;
  }

  private DemoOptions set(String name, String value) throws UsageException {
    return switch (name) {
      case "--world-size" -> {
        int v = positiveInt(name, value, 64);
        yield new DemoOptions(v, budgetBytes, threads, seed, requests, worldDir, metricsPort, help);
      }
      case "--budget" -> {
        long v = parse(name, value, DeclarativeConfiguration::parseCapacity); // as the provider reads sizes
        if (v < 1 << 20) {
          throw new UsageException("--budget must be at least 1MiB: " + value);
        }
        yield new DemoOptions(worldSize, v, threads, seed, requests, worldDir, metricsPort, help);
      }
      case "--threads" -> new DemoOptions(worldSize, budgetBytes, positiveInt(name, value, 256),
          seed, requests, worldDir, metricsPort, help);
      case "--seed" -> new DemoOptions(
          worldSize, budgetBytes, threads, parse(name, value, Long::parseLong), requests, worldDir,
          metricsPort, help);
      case "--requests" -> new DemoOptions(worldSize, budgetBytes, threads, seed,
          positiveInt(name, value, 100_000_000), worldDir, metricsPort, help);
      case "--world-dir" -> new DemoOptions(worldSize, budgetBytes, threads, seed, requests,
          parse(name, value, Path::of), metricsPort, help);
      case "--metrics-port" -> {
        int v = parse(name, value, Integer::parseInt);
        if (v < 0 || v > 65535) {
          throw new UsageException("--metrics-port must be between 0 and 65535: " + value);
        }
        yield new DemoOptions(worldSize, budgetBytes, threads, seed, requests, worldDir, v, help);
      }
      default -> throw new UsageException("unknown option: " + name);
    };
  }

  private static int positiveInt(String name, String value, int max) throws UsageException {
    int v = parse(name, value, Integer::parseInt);
    if (v < 1 || v > max) {
      throw new UsageException(name + " must be between 1 and " + max + ": " + value);
    }
    return v;
  }

  private static <T> T parse(String name, String value, Function<String, T> parser)
      throws UsageException {
    try {
      return parser.apply(value.strip());
    } catch (RuntimeException e) {
      throw new UsageException("bad value for " + name + ": '" + value + "'"
          + (e instanceof NumberFormatException || e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }
  }
}
