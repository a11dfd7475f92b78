package dev.weakalloc.samples.region;

import java.util.Locale;

/**
 * Formats byte sizes for the demo's output. (Sizes are parsed as the provider parses them: {@code
 * DeclarativeConfiguration.parseCapacity}.)
 *
 * <p>Stateless; thread-safe.
 */
final class Sizes {
  private Sizes() {}

  /** {@return {@code bytes} in the largest binary unit that keeps it at least 1, e.g. 63.8 MiB} */
  static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
    return String.format(Locale.ROOT, "%.1f %siB", bytes / (double) (1L << unit * 10),
        "KMGTPE".charAt(unit - 1));
  }
}
