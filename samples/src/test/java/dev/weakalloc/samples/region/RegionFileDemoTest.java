package dev.weakalloc.samples.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
