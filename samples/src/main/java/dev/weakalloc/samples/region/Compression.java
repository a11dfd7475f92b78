package dev.weakalloc.samples.region;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The compression of a chunk in a region file, as stored in the byte after its length. LZ4 is
 * recognised but not supported.
 *
 * <p>Stateless; thread-safe.
 */
public enum Compression {
  /** Type 1: a gzip member (RFC 1952). */
  GZIP(1),
  /** Type 2: a zlib stream (RFC 1950), what Minecraft writes by default. */
  ZLIB(2),
  /** Type 3: stored as it is. */
  NONE(3),
  /** Type 4: LZ4 blocks (Minecraft 1.20.5+). Not supported by these samples. */
  LZ4(4);

  private final int id;

  Compression(int id) {
    this.id = id;
  }

  /** {@return the type byte stored in region files} */
  public int id() {
    return id;
  }

  /** {@return the compression with type byte {@code id}, or null if there is none} */
  public static Compression byId(int id) {
    for (Compression c : values()) {
      if (c.id == id) {
        return c;
      }
    }
    return null;
  }

  /** {@return whether these samples can read and write this compression} */
  public boolean isSupported() {
    return this != LZ4;
  }

  /**
   * {@return {@code data} compressed}
   *
   * @throws UnsupportedOperationException for {@link #LZ4}
   */
  public byte[] compress(byte[] data) {
    if (this == NONE) {
      return data.clone();
    }
    var bytes = new ByteArrayOutputStream(data.length / 4 + 64);
    try (OutputStream out = compressing(bytes)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * {@return the {@code length} bytes of {@code data} from {@code offset}, decompressed}
   *
   * @throws IOException if the data is corrupt or truncated
   * @throws UnsupportedOperationException for {@link #LZ4}
   */
  public byte[] decompress(byte[] data, int offset, int length) throws IOException {
    if (this == NONE) {
      return Arrays.copyOfRange(data, offset, offset + length);
    }
    try (InputStream in = decompressing(new ByteArrayInputStream(data, offset, length))) {
      return in.readAllBytes();
    }
  }

  private OutputStream compressing(OutputStream out) throws IOException {
    return switch (this) {
      case GZIP -> new GZIPOutputStream(out);
      case ZLIB -> new DeflaterOutputStream(out);
      default -> throw unsupported();
    };
  }

  private InputStream decompressing(InputStream in) throws IOException {
    return switch (this) {
      case GZIP -> new GZIPInputStream(in);
      case ZLIB -> new InflaterInputStream(in);
      default -> throw unsupported();
    };
  }

  private UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException(name() + " compression (type " + id + ") is not supported");
  }
}
