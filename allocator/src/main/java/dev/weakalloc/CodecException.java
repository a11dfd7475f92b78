package dev.weakalloc;

import java.io.Serial;

/**
 * Thrown when a {@link Codec} cannot encode or decode a value. A failed encoding leaves nothing
 * allocated and no other value changed.
 */
public class CodecException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates an exception with a message and the failure behind it (may be null). */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates an exception with a message. */
  public CodecException(String message) {
    super(message);
  }
}
