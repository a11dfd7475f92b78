package dev.weakalloc.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The README's Java examples are the tested code: each block the README marks with {@code <!--
 * snippet: NAME -->} must equal, line for line up to indentation, the {@code @start region=NAME}
 * region of its source file.
 */
class ReadmeSnippetsTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path SOURCES = Path.of("src", "main", "java", "dev", "weakalloc", "samples");

  @ParameterizedTest
  @CsvSource({
    "quick-start, quickstart/JCacheQuickStart.java",
    "get-uncompressed-file, region/RawRegionCache.java",
    "metrics, quickstart/JCacheQuickStart.java"
  })
  void readmeBlock_equalsTheSourceRegion(String region, String source) throws IOException {
    List<String> fromSource = sourceRegion(SOURCES.resolve(source), region);
    List<String> fromReadme = readmeBlock(region);

    assertThat(fromSource).as("region %s in %s", region, source).isNotEmpty();
    assertThat(fromReadme).as("README block %s", region).isEqualTo(fromSource);
  }

  @Test
  void readme_namesTheArtifactWithTheBuildsVersion() throws IOException {
    Matcher version = Pattern.compile("<artifactId>weakalloc-parent</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(Path.of("..", "pom.xml")));
    assertThat(version.find()).as("the parent pom's version").isTrue();
    assertThat(Files.readString(README)).contains("dev.weakalloc:weakalloc-jcache:" + version.group(1));
  }

  @Test
  void readme_givesTheNativeAccessFlagForTheModulePathAndForTheClassPath() throws IOException {
    assertThat(Files.readString(README))
        .contains("--enable-native-access=dev.weakalloc.allocator")
        .contains("--enable-native-access=ALL-UNNAMED");
  }

  @Test
  void readme_namesTheTwoCommands() throws IOException {
    String readme = Files.readString(README);
    assertThat(readme).contains("./mvnw verify").contains("exec:java");
  }

  private static List<String> sourceRegion(Path file, String region) throws IOException {
    String text = Files.readString(file);
    Matcher m =
        Pattern.compile("// @start region=\"" + Pattern.quote(region) + "\"\\n(.*?)\\n\\s*// @end", Pattern.DOTALL)
            .matcher(text);
    return m.find() ? normalize(m.group(1)) : List.of();
  }

  private static List<String> readmeBlock(String region) throws IOException {
    String text = Files.readString(README);
    Matcher m =
        Pattern.compile("<!-- snippet: " + Pattern.quote(region) + " -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL)
            .matcher(text);
    return m.find() ? normalize(m.group(1)) : List.of();
  }

  /** Strips the common indentation and trailing blanks. */
  private static List<String> normalize(String block) {
    List<String> lines = block.lines().map(String::stripTrailing).toList();
    int indent =
        lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.toList());
  }
}
