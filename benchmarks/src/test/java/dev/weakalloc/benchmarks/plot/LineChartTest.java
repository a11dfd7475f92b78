package dev.weakalloc.benchmarks.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
  @TempDir Path dir;

  /** The class javadoc's example, run as written. */
  @Test
  void javadocExample_writesAPngOfTheReadmeSize_withTheLinesDrawn() throws Exception {
    Path file = dir.resolve("plots/hit-ratio.png");
    new LineChart("Hit ratio against budget", "budget (% of keys)", "hit ratio (%)")
        .line("LRU", new double[] {5, 10, 25}, new double[] {61.2, 70.4, 80.9})
        .line("Caffeine", new double[] {5, 10, 25}, new double[] {66.0, 74.1, 83.5})
        .writePng(file);

    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image.getWidth()).isEqualTo(LineChart.WIDTH);
    assertThat(image.getHeight()).isEqualTo(LineChart.HEIGHT);
    Set<Integer> colours = new HashSet<>();
    for (int x = 0; x < image.getWidth(); x += 3) {
      for (int y = 0; y < image.getHeight(); y += 3) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertThat(colours).as("white, grid, text and two line colours at least").hasSizeGreaterThan(5);
  }

  @Test
  void logarithmicAxisAndReferenceLine_draw() throws Exception {
    Path file = new LineChart("Get against entries", "entries", "M ops/s")
        .logarithmicX()
        .line("ours", new double[] {1e4, 1e5, 1e6, 1e7}, new double[] {9, 8, 6, 4})
        .horizontalLine("capacity", 5)
        .writePng(dir.resolve("scale.png"));

    assertThat(ImageIO.read(file.toFile()).getWidth()).isEqualTo(LineChart.WIDTH);
  }

  @Test
  void badInput_isRefusedNamingTheLineOrChart() {
    LineChart chart = new LineChart("t", "x", "y");
    assertThatThrownBy(() -> chart.line("ours", new double[] {1, 2}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line ours: 2 x values and 1 y values");
    chart.line("ours", new double[] {1}, new double[] {1});
    assertThatThrownBy(() -> chart.line("ours", new double[] {1}, new double[] {1}))
        .hasMessageContaining("line ours is already on the chart t");
    assertThatThrownBy(() -> new LineChart("empty", "x", "y").writePng(dir.resolve("e.png")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("empty has no line");
  }
}
