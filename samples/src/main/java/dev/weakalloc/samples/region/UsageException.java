package dev.weakalloc.samples.region;

/**
 * The command line is wrong: an unknown option, a missing or bad value. The message says which;
 * the demo prints it with the usage and exits with status 2.
 *
 * <p>Immutable once thrown.
 */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
