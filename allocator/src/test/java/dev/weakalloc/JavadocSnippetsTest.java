package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The javadoc examples are tested code: each inline {@code {@snippet id="NAME" :}} of the main
 * sources must equal, line for line up to indentation, the {@code // @start region="NAME"} region
 * of the test that runs it.
 */
class JavadocSnippetsTest {
  private static final Path MAIN = Path.of("src", "main", "java", "dev", "weakalloc");
  private static final Path TEST = Path.of("src", "test", "java", "dev", "weakalloc");

  @ParameterizedTest
  @CsvSource({"read-if-present, WeakRef.java, ScopedReadTest.java"})
  void javadocSnippet_equalsTheRegionItsTestRuns(String id, String source, String test) throws IOException {
    List<String> fromJavadoc = javadocSnippet(MAIN.resolve(source), id);
    List<String> fromTest = testRegion(TEST.resolve(test), id);

    assertThat(fromTest).as("region %s in %s", id, test).isNotEmpty();
    assertThat(fromJavadoc).as("snippet %s in %s", id, source).isEqualTo(fromTest);
  }

  private static List<String> javadocSnippet(Path file, String id) throws IOException {
    Matcher m = Pattern.compile("\\{@snippet id=\"" + Pattern.quote(id) + "\" :\\n(.*?)\\n\\s*\\* }\\n", Pattern.DOTALL)
        .matcher(Files.readString(file));
    if (!m.find()) {
      return List.of();
    }
    return normalize(m.group(1).lines().map(l -> l.replaceFirst("^\\s*\\* ?", "")).toList());
  }

  private static List<String> testRegion(Path file, String id) throws IOException {
    Matcher m = Pattern.compile("// @start region=\"" + Pattern.quote(id) + "\"\\n(.*?)\\n\\s*// @end", Pattern.DOTALL)
        .matcher(Files.readString(file));
    return m.find() ? normalize(m.group(1).lines().toList()) : List.of();
  }

  /** Strips the common indentation and trailing blanks. */
  private static List<String> normalize(List<String> block) {
    List<String> lines = block.stream().map(String::stripTrailing).toList();
    int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
        .min().orElse(0);
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
  }
}
