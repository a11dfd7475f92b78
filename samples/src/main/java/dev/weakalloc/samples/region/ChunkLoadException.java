package dev.weakalloc.samples.region;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A region file could not be read: it is missing, truncated, or a chunk in it is invalid. The
 * message names the file and, when one is to blame, the chunk (index and local x, z).
 *
 * <p>The seed's {@code ChunkLoadError}. Immutable once thrown.
 */
public final class ChunkLoadException extends IOException {
  private static final long serialVersionUID = 1L;

  /** {@link #chunkIndex()} when the file as a whole is to blame. */
  public static final int WHOLE_FILE = -1;

  /** The file that failed; a string so that the exception stays serializable. */
  private final String file;

  private final int chunkIndex;

  private ChunkLoadException(Path file, int chunkIndex, String message, Throwable cause) {
    super(describe(file, chunkIndex) + ": " + message, cause);
    this.file = file.toString();
    this.chunkIndex = chunkIndex;
  }

  /** {@return an exception about the whole of {@code file}} */
  public static ChunkLoadException ofFile(Path file, String message, Throwable cause) {
    return new ChunkLoadException(file, WHOLE_FILE, message, cause);
  }

  /** {@return an exception about chunk {@code chunkIndex} of {@code file}} */
  public static ChunkLoadException ofChunk(
      Path file, int chunkIndex, String message, Throwable cause) {
    return new ChunkLoadException(file, chunkIndex, message, cause);
  }

  /** {@return the path of the region file} */
  public Path file() {
    return Path.of(file);
  }

  /** {@return the index of the chunk to blame, in [0, 1024), or {@link #WHOLE_FILE}} */
  public int chunkIndex() {
    return chunkIndex;
  }

  private static String describe(Path file, int chunkIndex) {
    if (chunkIndex == WHOLE_FILE) {
      return file.toString();
    }
    return file + ", chunk " + chunkIndex + " (x=" + AnvilLayout.localX(chunkIndex)
        + ", z=" + AnvilLayout.localZ(chunkIndex) + ")";
  }
}
