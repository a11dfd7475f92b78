package dev.weakalloc.samples.region;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats byte sizes: {@code 65536}, {@code 512KiB}, {@code 64MiB}, {@code 1GiB}
 * ({@code K}, {@code M}, {@code G}, {@code KB}, ... mean the same binary units).
 *
 * <p>Stateless; thread-safe.
 */
final class Sizes {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(?:([KMGkmg])(?:i?[Bb])?|[Bb])?");

  private Sizes() {}

  /**
   * {@return the bytes {@code text} means}
   *
   * @throws IllegalArgumentException if it is not a size, or overflows a long
   */
  static long parse(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a size: '" + text + "' (expected e.g. 65536, 512KiB, 64MiB, 1GiB)");
    }
    int shift = m.group(2) == null ? 0 : switch (Character.toUpperCase(m.group(2).charAt(0))) {
      case 'K' -> 10;
      case 'M' -> 20;
      default -> 30;
    };
    try {
      long value = Long.parseLong(m.group(1));
      if (value > Long.MAX_VALUE >> shift) {
        throw new NumberFormatException();
      }
      return value << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size too large: '" + text + "'", e);
    }
  }

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
