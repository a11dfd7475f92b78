package dev.weakalloc.samples.region;

/**
 * The layout of an Anvil region file, {@code r.<x>.<z>.mca}: 32 by 32 chunks, each compressed on
 * its own, in 4 KiB sectors behind two 4 KiB tables.
 *
 * <pre>
 *  sector 0            sector 1            sector 2 ...
 * +-------------------+-------------------+---------------------------------------------+
 * | locations         | timestamps        | chunks, each in whole sectors, zero padded  |
 * | 1024 x 4 bytes    | 1024 x int32 (s)  |                                             |
 * +-------------------+-------------------+---------------------------------------------+
 *
 * location entry i (big-endian):        chunk at sector offset * 4096 (big-endian):
 * +----------------------+-------+     +--------------+-------------+---------------------+
 * | sector offset (24 b) | count |     | length int32 | compression | data (length - 1 B) |
 * +----------------------+-------+     +--------------+-------------+---------------------+
 * offset 0 and count 0: chunk absent    length counts the compression byte and the data
 * </pre>
 *
 * <p>Chunk {@code i} has local coordinates {@code x = i % 32, z = i / 32}. Compression types are
 * in {@link Compression}; {@code type | 128} means the data lives in an external {@code
 * c.<x>.<z>.mcc} file.
 *
 * <p>Constants only; thread-safe.
 */
public final class AnvilLayout {
  /** Bytes in a sector. */
  public static final int SECTOR_BYTES = 4096;
  /** Chunks along each side of a region. */
  public static final int CHUNKS_PER_SIDE = 32;
  /** Chunks in a region. */
  public static final int CHUNKS = CHUNKS_PER_SIDE * CHUNKS_PER_SIDE;
  /** Byte offset of the timestamps table. */
  public static final int TIMESTAMPS_OFFSET = SECTOR_BYTES;
  /** Sectors taken by the two tables; the first chunk sector. */
  public static final int HEADER_SECTORS = 2;
  /** Bytes taken by the two tables. */
  public static final int HEADER_BYTES = HEADER_SECTORS * SECTOR_BYTES;
  /** Bytes of a chunk's header: length and compression type. */
  public static final int CHUNK_HEADER_BYTES = 5;
  /** The most sectors a location entry can give a chunk. */
  public static final int MAX_SECTOR_COUNT = 255;
  /** Set in the compression byte when the chunk is stored in an external {@code .mcc} file. */
  public static final int EXTERNAL_FLAG = 128;

  private AnvilLayout() {}

  /** {@return the index of the chunk at local coordinates {@code (x, z)}, both in [0, 32)} */
  public static int chunkIndex(int x, int z) {
    return (x & (CHUNKS_PER_SIDE - 1)) + (z & (CHUNKS_PER_SIDE - 1)) * CHUNKS_PER_SIDE;
  }

  /** {@return the local x coordinate of chunk {@code index}} */
  public static int localX(int index) {
    return index % CHUNKS_PER_SIDE;
  }

  /** {@return the local z coordinate of chunk {@code index}} */
  public static int localZ(int index) {
    return index / CHUNKS_PER_SIDE;
  }

  /** {@return the sectors needed by a chunk whose compressed data has {@code dataBytes} bytes} */
  public static int sectorsFor(int dataBytes) {
    return Math.ceilDiv(CHUNK_HEADER_BYTES + dataBytes, SECTOR_BYTES);
  }
}
