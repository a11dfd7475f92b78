package dev.weakalloc.samples.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DemoOptionsTest {
  @Test
  void parse_noArguments_givesTheDefaults() throws UsageException {
    DemoOptions options = DemoOptions.parse();

    assertThat(options).isEqualTo(DemoOptions.defaults());
    assertThat(options.worldSize()).isEqualTo(6);
    assertThat(options.budgetBytes()).isEqualTo(64L << 20);
    assertThat(options.help()).isFalse();
  }

  @Test
  void parse_everyOption_inBothForms() throws UsageException {
    DemoOptions options = DemoOptions.parse("--world-size", "3", "--budget=512MiB",
        "--threads", "4", "--seed=-9", "--requests", "100", "--world-dir", "/tmp/w",
        "--metrics-port=9404");

    assertThat(options).isEqualTo(
        new DemoOptions(3, 512L << 20, 4, -9, 100, Path.of("/tmp/w"), 9404, false));
    assertThat(DemoOptions.defaults().metricsPort()).isEqualTo(DemoOptions.NO_METRICS);
  }

  @Test
  void parse_help_wins() throws UsageException {
    assertThat(DemoOptions.parse("--seed", "1", "--help").help()).isTrue();
    assertThat(DemoOptions.parse("-h").help()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      --frobnicate|1      | unknown option: --frobnicate
      --threads   |0      | --threads must be between 1 and 256: 0
      --threads   |two    | bad value for --threads: 'two'
      --budget    |64 parsecs| bad value for --budget: '64 parsecs' (unknown unit parsecs)
      --budget    |100KiB | --budget must be at least 1MiB: 100KiB
      --world-size|65     | --world-size must be between 1 and 64: 65
      --seed      |0x10   | bad value for --seed: '0x10'
      --metrics-port|65536| --metrics-port must be between 0 and 65535: 65536
      --metrics-port|-1   | --metrics-port must be between 0 and 65535: -1
      """)
  void parse_badValue_saysWhich(String option, String value, String message) {
    assertThatThrownBy(() -> DemoOptions.parse(option, value))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void parse_unknownOptionWithoutValue_saysUnknown() {
    assertThatThrownBy(() -> DemoOptions.parse("--frobnicate"))
        .isInstanceOf(UsageException.class)
        .hasMessage("unknown option: --frobnicate");
  }

  @Test
  void parse_missingValue() {
    assertThatThrownBy(() -> DemoOptions.parse("--budget"))
        .isInstanceOf(UsageException.class)
        .hasMessage("option --budget needs a value");
  }

  @ParameterizedTest
  @CsvSource({"1048576, 1048576", "64MiB, 67108864", "64m, 67108864", "1GiB, 1073741824",
      "2GB, 2147483648", "1TiB, 1099511627776"})
  void budget_takesTheSizesTheProviderTakes(String text, long bytes) throws UsageException {
    assertThat(DemoOptions.parse("--budget", text).budgetBytes()).isEqualTo(bytes);
  }

  @Test
  void budget_aPercentageOfTheMemory_isAccepted() throws UsageException {
    assertThat(DemoOptions.parse("--budget", "10%").budgetBytes()).isPositive();
  }

  @Test
  void budget_underOneMiB_isRefusedAndTheHelpSaysSo() {
    assertThatThrownBy(() -> DemoOptions.parse("--budget", "512KiB"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("at least 1MiB");
    assertThat(DemoOptions.USAGE).contains("at least 1MiB").doesNotContain("512KiB");
  }

  @Test
  void sizes_format() {
    assertThat(Sizes.format(100)).isEqualTo("100 B");
    assertThat(Sizes.format(64L << 20)).isEqualTo("64.0 MiB");
    assertThat(Sizes.format(1536)).isEqualTo("1.5 KiB");
  }
}
