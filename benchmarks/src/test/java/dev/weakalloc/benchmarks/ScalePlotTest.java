package dev.weakalloc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.benchmarks.plot.LineChart;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ScalePlot} on two small JMH CSV files (src/test/resources/scale-run-*.csv). */
class ScalePlotTest {
  @TempDir Path dir;

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(ScalePlotTest.class.getResource("/" + name).toURI());
  }

  @Test
  void medians_takeTheMiddleOfTheRunsPerSideAndEntries_andSkipOtherBenchmarks() throws Exception {
    ScalePlot.Results results =
        ScalePlot.read(List.of(fixture("scale-run-1.csv"), fixture("scale-run-2.csv")));
    Map<String, TreeMap<Integer, Double>> medians = results.medians();

    assertThat(medians).containsOnlyKeys("weakAlloc", "heapCopies", "caffeineJCache");
    assertThat(medians.get("weakAlloc")).containsEntry(10_000, 6.0).containsEntry(10_000_000, 2.0);
    assertThat(medians.get("heapCopies")).containsEntry(10_000, 7.0).containsEntry(10_000_000, 3.0);
    assertThat(medians.get("caffeineJCache")).containsEntry(10_000, 4.0);
    assertThat(results.describeValues())
        .isEqualTo("values of 1,024 B at 10,000; 256 B at 10,000,000 entries");
  }

  @Test
  void main_drawsThePngAndPrintsTheTableAndFalls() throws Exception {
    Path png = dir.resolve("images/get-throughput-vs-entries.png");
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      ScalePlot.main(new String[] {
          png.toString(), fixture("scale-run-1.csv").toString(), fixture("scale-run-2.csv").toString()});
    } finally {
      System.setOut(stdout);
    }

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(LineChart.WIDTH);
    assertThat(image.getHeight()).isEqualTo(LineChart.HEIGHT);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("fall weakAlloc: 10,000 -> 10,000,000 entries: 3.00x")
        .contains("fall heapCopies: 10,000 -> 10,000,000 entries: 2.33x");
  }
}
