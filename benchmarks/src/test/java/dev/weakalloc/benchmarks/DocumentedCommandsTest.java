package dev.weakalloc.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The benchmark commands the READMEs give still name something that exists: every benchmark
 * pattern passed to {@code java -jar benchmarks.jar} selects at least one benchmark of JMH's
 * generated list (as JMH matches it: a regex found in the full method name), every main class
 * given to {@code java -cp benchmarks.jar} loads and has a {@code main}, and every image a README
 * shows is in the repository.
 */
class DocumentedCommandsTest {
  private static final List<Path> READMES = List.of(Path.of("..", "README.md"), Path.of("README.md"));
  private static final Pattern JMH_RUN =
      Pattern.compile("-jar \\S*benchmarks\\.jar\\s+(?:[\"']([^\"']+)[\"']|([A-Za-z][\\w.|]*))");
  private static final Pattern MAIN_RUN =
      Pattern.compile("-cp \\S*benchmarks\\.jar\\s+(dev\\.weakalloc\\.[\\w.]+)");

  /** A Markdown image, {@code ![alt](path)}, with a path in the repository. */
  private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*\\]\\(([^)\\s:]+)\\)");

  private static String readmes() throws IOException {
    StringBuilder text = new StringBuilder();
    for (Path readme : READMES) {
      text.append(Files.readString(readme).replace("\\\n", " ")).append('\n');
    }
    return text.toString();
  }

  /** {@return the full names (class.method) of the benchmarks JMH generated} */
  private static List<String> benchmarks() throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream list = DocumentedCommandsTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
      assertThat(list).as("JMH's generated BenchmarkList").isNotNull();
      for (String line : new String(list.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] tokens = line.split(" ");
        if (tokens.length > 9 && tokens[0].equals("JMH")) {
          names.add(tokens[3] + "." + tokens[9]);
        }
      }
    }
    return names;
  }

  @Test
  void everyDocumentedBenchmarkPattern_selectsABenchmark() throws IOException {
    List<String> benchmarks = benchmarks();
    Matcher run = JMH_RUN.matcher(readmes());
    int checked = 0;
    while (run.find()) {
      String regex = run.group(1) != null ? run.group(1) : run.group(2);
      for (String alternative : regex.split("\\|")) {
        assertThat(benchmarks)
            .as("benchmarks matching '%s' (from '%s')", alternative, regex)
            .anyMatch(name -> Pattern.compile(alternative).matcher(name).find());
      }
      checked++;
    }
    assertThat(checked).as("benchmark commands found in the READMEs").isGreaterThan(5);
  }

  @Test
  void everyDocumentedMainClass_hasAMain() throws Exception {
    Matcher run = MAIN_RUN.matcher(readmes());
    int checked = 0;
    while (run.find()) {
      Class.forName(run.group(1)).getMethod("main", String[].class);
      checked++;
    }
    assertThat(checked).as("main classes found in the READMEs").isGreaterThan(3);
  }

  @Test
  void everyImageAReadmeShows_exists() throws IOException {
    int checked = 0;
    for (Path readme : READMES) {
      Matcher image = IMAGE.matcher(Files.readString(readme));
      while (image.find()) {
        Path file = readme.toAbsolutePath().getParent().resolve(image.group(1)).normalize();
        assertThat(file).as("image %s shown by %s", image.group(1), readme).isRegularFile();
        checked++;
      }
    }
    assertThat(checked).as("images shown in the READMEs").isGreaterThanOrEqualTo(2);
  }
}
