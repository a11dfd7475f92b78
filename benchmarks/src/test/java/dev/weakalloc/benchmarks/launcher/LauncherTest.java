package dev.weakalloc.benchmarks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The jar's main class lets JDK 25 and newer through, and tells an older JDK what to use. */
class LauncherTest {
  @ParameterizedTest
  @ValueSource(strings = {"1.8", "11", "17", "21", "24"})
  void tooOld_olderJava_saysWhichJdkAndHow(String version) {
    assertThat(Launcher.tooOld(version, "/opt/old-jdk"))
        .startsWith("The benchmarks need JDK 25 or newer, and this is Java " + version + " (/opt/old-jdk)")
        .contains("bin/java -jar benchmarks/target/benchmarks.jar");
  }

  @ParameterizedTest
  @ValueSource(strings = {"25", "26", "30"})
  void tooOld_jdk25OrNewer_isNull(String version) {
    assertThat(Launcher.tooOld(version, "/opt/jdk")).isNull();
  }
}
