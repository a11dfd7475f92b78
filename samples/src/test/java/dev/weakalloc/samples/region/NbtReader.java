package dev.weakalloc.samples.region;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: parses NBT into maps, lists, arrays and boxed values, to check what was written. */
final class NbtReader {
  private final DataInputStream in;

  private NbtReader(byte[] nbt) {
    in = new DataInputStream(new ByteArrayInputStream(nbt));
  }

  /** {@return the root compound of {@code nbt}}, checking that nothing follows it. */
  static Map<String, Object> parse(byte[] nbt) throws IOException {
    NbtReader reader = new NbtReader(nbt);
    if (reader.in.readByte() != NbtWriter.COMPOUND) {
      throw new IOException("root is not a compound");
    }
    reader.in.readUTF();
    Map<String, Object> root = reader.compound();
    if (reader.in.available() != 0) {
      throw new IOException(reader.in.available() + " bytes after the root");
    }
    return root;
  }

  private Map<String, Object> compound() throws IOException {
    Map<String, Object> tags = new LinkedHashMap<>();
    for (byte type = in.readByte(); type != NbtWriter.END; type = in.readByte()) {
      String name = in.readUTF();
      tags.put(name, payload(type));
    }
    return tags;
  }

  private Object payload(byte type) throws IOException {
    return switch (type) {
      case NbtWriter.BYTE -> in.readByte();
      case NbtWriter.SHORT -> in.readShort();
      case NbtWriter.INT -> in.readInt();
      case NbtWriter.LONG -> in.readLong();
      case NbtWriter.FLOAT -> in.readFloat();
      case NbtWriter.DOUBLE -> in.readDouble();
      case NbtWriter.BYTE_ARRAY -> in.readNBytes(in.readInt());
      case NbtWriter.STRING -> in.readUTF();
      case NbtWriter.LIST -> list();
      case NbtWriter.COMPOUND -> compound();
      case NbtWriter.LONG_ARRAY -> longs(in.readInt());
      default -> throw new IOException("unexpected tag type " + type);
    };
  }

  private List<Object> list() throws IOException {
    byte type = in.readByte();
    int size = in.readInt();
    List<Object> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add(payload(type));
    }
    return list;
  }

  private long[] longs(int size) throws IOException {
    long[] longs = new long[size];
    for (int i = 0; i < size; i++) {
      longs[i] = in.readLong();
    }
    return longs;
  }
}
