package dev.weakalloc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.benchmarks.plot.LineChart;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HitRatioPlot}'s main on a tiny configuration: a short Zipf stream, and a small LIRS-format
 * trace in a jar laid out as the simulator's (so that the test needs neither the 96 MB jar nor a
 * network); both PNGs are written at the README size.
 */
class HitRatioPlotTest {
  @TempDir Path dir;

  @Test
  void main_onATinyConfiguration_writesBothPngs() throws Exception {
    Path jar = dir.resolve("simulator.jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      zip.putNextEntry(new ZipEntry(
          "com/github/benmanes/caffeine/cache/simulator/parser/lirs/tiny.trace.gz"));
      StringBuilder trace = new StringBuilder("*\n");
      SplittableRandom random = new SplittableRandom(7);
      for (int i = 0; i < 20_000; i++) {
        // a hot set of 200 keys, and a cold range of 4,000 keys now and then
        trace.append(random.nextInt(4) == 0 ? 1_000 + random.nextInt(4_000) : random.nextInt(200))
            .append('\n');
      }
      GZIPOutputStream gzip = new GZIPOutputStream(zip); // not closed: that would close the jar
      gzip.write(trace.toString().getBytes(StandardCharsets.US_ASCII));
      gzip.finish();
      zip.closeEntry();
    }
    Path out = dir.resolve("images");

    HitRatioPlot.main(new String[] {out.toString(), "20000", "2000", "tiny", jar.toString()});

    for (String name : new String[] {"hit-ratio-zipf.png", "hit-ratio-tiny.png"}) {
      BufferedImage image = ImageIO.read(out.resolve(name).toFile());
      assertThat(image).as(name).isNotNull();
      assertThat(image.getWidth()).isEqualTo(LineChart.WIDTH);
      assertThat(image.getHeight()).isEqualTo(LineChart.HEIGHT);
    }
  }

  @Test
  void draw_givesOneRisingLinePerCache() {
    int[] stream = Workloads.zipfStream(20_000, 2_000, 0.99, 99);

    double[][] y = HitRatioPlot.draw("t", stream, 2_000, dir.resolve("z.png"), System.out);

    assertThat(y).hasNumberOfRows(HitRatioPlot.LINES.size());
    for (double[] line : y) {
      assertThat(line).hasSize(HitRatioPlot.BUDGETS.length);
      assertThat(line[line.length - 1]).isGreaterThan(line[0]);
    }
  }
}
