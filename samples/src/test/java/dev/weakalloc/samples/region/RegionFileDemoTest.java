package dev.weakalloc.samples.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end, on a one-region world. */
class RegionFileDemoTest {
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void run_printsATableOfEveryCache() {
    int status = run("--world-size", "1", "--requests", "60", "--budget", "4MiB",
        "--world-dir", dir.toString());

    assertThat(status).isZero();
    String output = out.toString(StandardCharsets.UTF_8);
    assertThat(output)
        .contains("1 region files", "generated in", "Replay: 60 chunk requests")
        .contains("requests", "hits", "misses", "evictions", "decompressions", "peak use")
        .containsPattern("(?m)^weak-alloc +60 +\\d+ +\\d+ +\\d+ +\\d+ +\\d+(\\.\\d+)? [KMG]?i?B ")
        .containsPattern("(?m)^weak-alloc \\(raw API\\) +60 ")
        .containsPattern("(?m)^no cache +60 +0 +60 +- +60 ")
        .containsPattern("(?m)^Caffeine +60 ")
        .doesNotContain("Metrics:");
    assertThat(output.indexOf("\nweak-alloc ")).as("the JCache row comes first")
        .isLessThan(output.indexOf("\nweak-alloc (raw API)"));
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void run_withMetricsPort_servesWhileRunning_andReleasesThePortAtTheEnd() throws Exception {
    int status = run("--world-size", "1", "--requests", "20", "--budget", "4MiB",
        "--world-dir", dir.toString(), "--metrics-port", "0");

    assertThat(status).isZero();
    String output = out.toString(StandardCharsets.UTF_8);
    Matcher served = Pattern.compile("Metrics: http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(output);
    assertThat(served.find()).as(output).isTrue();
    int port = Integer.parseInt(served.group(1));
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
        .as("the server stopped").isInstanceOf(ConnectException.class);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  /**
   * Every row's cache is served, tagged by row, and after the run (before the demo exits) each
   * shows its final state: the first rows too, long after they finished.
   */
  @Test
  void run_withMetricsPort_servesEveryRowTaggedByRow_andTheirFinalStateUntilTheEnd()
      throws Exception {
    AtomicReference<String> scrape = new AtomicReference<>();
    int status = RegionFileDemo.run(new String[] {"--world-size", "2", "--requests", "300",
            "--budget", "8MiB", "--threads", "1", "--world-dir", dir.toString(), "--metrics-port", "0"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false,
        server -> scrape.set(scrapeOf(server)));

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    String body = scrape.get();
    for (String row : new String[] {"weak-alloc", "weak-alloc tinylfu", "weak-alloc (raw API)",
        "Caffeine"}) {
      double hits = figure(body, "cache_gets_total", row, "result=\"hit\"");
      double misses = figure(body, "cache_gets_total", row, "result=\"miss\"");
      assertThat(hits + misses).as("gets of " + row).isEqualTo(300);
      assertThat(misses).as("misses of " + row)
          .isEqualTo(figure(body, "demo_decompressions_total", row, ""));
      assertThat(figure(body, "cache_size", row, "")).as("size of " + row + " once closed")
          .isZero();
    }
    assertThat(figure(body, "demo_decompressions_total", "no cache", "")).isEqualTo(300);
    for (String row : new String[] {"weak-alloc", "weak-alloc tinylfu"}) {
      assertThat(figure(body, "weakalloc_region_closed", row, "")).isEqualTo(1);
      assertThat(figure(body, "weakalloc_region_committed_bytes", row, "")).isZero();
      assertThat(figure(body, "weakalloc_region_values", row, "")).isZero();
    }
    assertThat(figure(body, "weakalloc_region_evictions_total", "weak-alloc", "cause=\"memory\""))
        .as("the region's evictions are the cache's").isPositive()
        .isEqualTo(figure(body, "cache_evictions_total", "weak-alloc", ""));
  }

  private String scrapeOf(MetricsServer server) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri()).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** {@return the value of the one sample of {@code metric} with tag row={@code row} and {@code tag}} */
  private static double figure(String body, String metric, String row, String tag) {
    Matcher m = Pattern.compile("(?m)^" + metric + "\\{([^}]*)} (\\S+)$").matcher(body);
    List<Double> values = new ArrayList<>();
    while (m.find()) {
      if (m.group(1).contains("row=\"" + row + "\"") && m.group(1).contains(tag)) {
        values.add(Double.parseDouble(m.group(2)));
      }
    }
    assertThat(values).as(metric + " of row " + row + " " + tag + " in\n" + body).hasSize(1);
    return values.get(0);
  }

  @Test
  void run_reusesTheWorld() {
    run("--world-size", "1", "--requests", "5", "--world-dir", dir.toString());
    out.reset();

    assertThat(run("--world-size", "1", "--requests", "5", "--world-dir", dir.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("decompressed (reused)");
  }

  @Test
  void run_badOption_exitsWith2AndUsage() {
    assertThat(run("--budget", "lots")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("error: bad value for --budget: 'lots'")
        .contains("Usage: RegionFileDemo");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void run_regionLargerThanTheBudget_exitsWith1() {
    assertThat(run("--world-size", "1", "--requests", "5", "--budget", "1MiB",
        "--world-dir", dir.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: cache regions, key (0, 0): ")
        .contains("value of ", "can never fit");
  }

  @Test
  void run_worldDirHoldingTheUsersFiles_refusesAndLeavesThemAlone() throws Exception {
    Path mine = dir.resolve("r.0.0.mca");
    Files.writeString(mine, "my own world");

    assertThat(run("--world-size", "1", "--requests", "5", "--world-dir", dir.toString())).isEqualTo(1);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("holds files the demo did not write (r.0.0.mca)");
    assertThat(Files.readString(mine)).isEqualTo("my own world");
  }

  /**
   * A save folder of real region files (written by the Anvil writer, not marked as the demo's) is
   * replayed read-only: every file keeps its bytes and its modification time, and no file is
   * added or removed, while the rows read them.
   */
  @Test
  void run_worldDirOfTheUsersRegionFiles_readsThemAndNeverWrites() throws Exception {
    Path regionDir = Files.createDirectories(dir.resolve("region"));
    Files.writeString(dir.resolve("level.dat"), "the user's level");
    WorldGenerator generator = new WorldGenerator(7, 2);
    for (RegionPos pos : generator.regions()) {
      generator.writeRegion(regionDir, pos);
    }
    Files.writeString(regionDir.resolve("r.5.5.mca"), ""); // Minecraft leaves empty files behind
    FileTime then = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Map<Path, byte[]> before = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.toList()) {
        Files.setLastModifiedTime(file, then);
        before.put(file, Files.isRegularFile(file) ? Files.readAllBytes(file) : new byte[0]);
      }
    }

    int status = run("--requests", "200", "--budget", "16MiB", "--threads", "1",
        "--world-dir", dir.toString());

    String output = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as(output + err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(output).contains("World: 4 region files of your own", "opened read-only")
        .containsPattern("(?m)^no cache +200 +0 +200 ")
        .containsPattern("(?m)^weak-alloc +200 +\\d+ +[1-9]");
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.toList()).containsExactlyInAnyOrderElementsOf(before.keySet());
    }
    for (var file : before.entrySet()) {
      assertThat(Files.getLastModifiedTime(file.getKey())).as(file.getKey().toString())
          .isEqualTo(then);
      if (Files.isRegularFile(file.getKey())) {
        assertThat(Files.readAllBytes(file.getKey())).as(file.getKey().toString())
            .isEqualTo(file.getValue());
      }
    }
  }

  @Test
  void run_worldDirThatIsAFile_saysSo() throws Exception {
    Path file = Files.writeString(dir.resolve("passwd"), "root:x:0:0");

    assertThat(run("--world-size", "1", "--requests", "5", "--world-dir", file.toString())).isEqualTo(1);

    assertThat(err.toString(StandardCharsets.UTF_8)).contains(file + " is a file, not a folder");
  }

  @Test
  void run_budgetBeyondTheMachinesMemory_warns() {
    assertThat(run("--world-size", "1", "--requests", "5", "--budget", "1000TiB",
        "--world-dir", dir.toString())).isZero();

    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("warning: --budget 1000.0 TiB is more than the");
  }

  @Test
  void run_help_printsUsage() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: RegionFileDemo");
  }

  private int run(String... args) {
    return RegionFileDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
  }
}
