package dev.weakalloc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GC and memory mains run end to end on tiny sizes (child JVMs of a second or two each) and
 * print, write and draw what their README commands promise. Linux only: the children read {@code
 * /proc}.
 */
@EnabledOnOs(OS.LINUX)
class GcPausesTest {
  @TempDir Path dir;

  @Test
  void quickRun_printsTheTableAppendsTheCsvAndPlots() throws Exception {
    Path csv = dir.resolve("gc.csv");
    String out = captured(() -> GcPauses.main(new String[] {"quick", "sides=ours,caffeine,empty", "csv=" + csv}));

    assertThat(out).contains("| side | GiB cached | heap | pauses | p50 ms | p99 ms | max ms |");
    List<String> rows = Files.readAllLines(csv);
    assertThat(rows).hasSize(4);
    assertThat(rows.get(1)).startsWith("ours,0.0313,65536,128,");
    assertThat(rows.get(2)).startsWith("caffeine,0.0313,65536,");
    assertThat(rows.get(3)).startsWith("empty,0.0000,65536,128,");
    for (String row : rows.subList(1, 4)) {
      String[] fields = row.split(",");
      assertThat(Double.parseDouble(fields[10])).as("GC CPU share of %s", row).isBetween(0.0, 100.0);
    }

    Path png = dir.resolve("gc.png");
    GcPauses.main(new String[] {"plot", csv.toString(), png.toString()});
    assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(900);
  }

  @Test
  void regionRss_smallRun_drawsBothRegions() throws Exception {
    Path png = dir.resolve("rss.png");
    String out = captured(() -> RegionRss.main(new String[] {png.toString(), "0.125"}));

    assertThat(out).contains("1 GiB region: MiB written [0.0, 64.0, 128.0]").contains("64 GiB region");
    assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(540);
  }

  private interface Main {
    void run() throws Exception;
  }

  private static String captured(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    original.print(out);
    return out;
  }
}
