package dev.weakalloc.samples.region;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Generates the NBT of one chunk in the shape Minecraft 1.21 saves it: a root compound with
 * {@code DataVersion}, {@code xPos}/{@code zPos}, {@code Status}, 24 {@code sections} (each with a
 * block-state palette, packed {@code data} where the section is not uniform, a biome palette and
 * sky light near the surface), {@code Heightmaps} and empty block entities. Deterministic from the
 * seed and the chunk's coordinates; a chunk takes about 8 to 12 KiB and compresses about 6 times.
 *
 * <p>Immutable; thread-safe.
 */
final class ChunkGenerator {
  static final int DATA_VERSION = 3953; // Minecraft 1.21
  static final int MIN_SECTION = -4;
  static final int SECTIONS = 24;
  private static final int MIN_Y = MIN_SECTION * 16;
  private static final int ORE_TOP = 16; // ores only in the section at y = 0

  /** Block states, indexed by the ids {@link #block} returns. */
  private static final String[] BLOCKS = {
    "minecraft:air", "minecraft:deepslate", "minecraft:stone",
    "minecraft:coal_ore", "minecraft:iron_ore", "minecraft:dirt", "minecraft:grass_block",
    "minecraft:sand", "minecraft:water",
  };
  private static final int AIR = 0, DEEPSLATE = 1, STONE = 2, COAL = 3, IRON = 4, DIRT = 5,
      GRASS = 6, SAND = 7, WATER = 8;

  private final long seed;
  private final Terrain terrain;

  ChunkGenerator(long seed) {
    this.seed = seed;
    this.terrain = new Terrain(seed);
  }

  /** {@return the uncompressed NBT of the chunk at chunk coordinates {@code (chunkX, chunkZ)}} */
  byte[] generate(int chunkX, int chunkZ) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(seed, chunkX, chunkZ, 7));
    int[] heights = heights(chunkX, chunkZ);
    NbtWriter nbt = new NbtWriter()
        .beginCompound("")
        .putInt("DataVersion", DATA_VERSION)
        .putInt("xPos", chunkX)
        .putInt("zPos", chunkZ)
        .putInt("yPos", MIN_SECTION)
        .putString("Status", "minecraft:full")
        .putLong("LastUpdate", 20_000 + random.nextInt(1_000_000))
        .putLong("InhabitedTime", random.nextInt(50_000))
        .putByte("isLightOn", (byte) 1);
    nbt.beginList("sections", NbtWriter.COMPOUND, SECTIONS);
    for (int section = MIN_SECTION; section < MIN_SECTION + SECTIONS; section++) {
      writeSection(nbt, section, heights, random);
    }
    writeHeightmaps(nbt, heights);
    nbt.beginList("block_entities", NbtWriter.END, 0)
        .beginCompound("structures").beginCompound("References").endCompound()
        .beginCompound("starts").endCompound().endCompound();
    return nbt.endCompound().toByteArray();
  }

  private int[] heights(int chunkX, int chunkZ) {
    int[] heights = new int[256];
    for (int i = 0; i < 256; i++) {
      heights[i] = terrain.height(chunkX * 16 + (i & 15), chunkZ * 16 + (i >> 4));
    }
    return heights;
  }

  private void writeSection(NbtWriter nbt, int section, int[] heights, SplittableRandom random) {
    int uniform = uniformBlock(section, heights);
    int[] blocks = uniform >= 0 ? null : blocks(section, heights, random);
    int[] palette = blocks == null ? new int[] {uniform} : palette(blocks);
    nbt.beginCompound(null).putByte("Y", (byte) section);
    nbt.beginCompound("block_states").beginList("palette", NbtWriter.COMPOUND, palette.length);
    for (int id : palette) {
      nbt.beginCompound(null).putString("Name", BLOCKS[id]).endCompound();
    }
    if (palette.length > 1) {
      nbt.putLongArray("data", PackedArray.pack(paletteIndices(blocks, palette), bits(palette.length)));
    }
    nbt.endCompound();
    nbt.beginCompound("biomes").beginList("palette", NbtWriter.STRING, 1)
        .putString(null, heights[136] < Terrain.SEA_LEVEL ? "minecraft:ocean" : "minecraft:plains")
        .endCompound();
    if (palette.length > 1 && section * 16 + 15 >= Terrain.SEA_LEVEL - 16) {
      nbt.putByteArray("SkyLight", skyLight(section, heights));
    }
    nbt.endCompound();
  }

  /** {@return the one block filling the section, or -1 if it holds several} */
  private static int uniformBlock(int section, int[] heights) {
    int bottom = section * 16;
    int top = bottom + 15;
    int min = Arrays.stream(heights).min().orElseThrow();
    int max = Arrays.stream(heights).max().orElseThrow();
    if (bottom >= Math.max(max, Terrain.SEA_LEVEL)) {
      return AIR;
    } else if (top < 0) {
      return DEEPSLATE;
    } else if (bottom >= ORE_TOP && top < min - 4) {
      return STONE;
    }
    return -1;
  }

  private static int[] blocks(int section, int[] heights, SplittableRandom random) {
    int[] blocks = new int[4096]; // index y * 256 + z * 16 + x, as Minecraft packs them
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = block(section * 16 + (i >> 8), heights[i & 255], random);
    }
    return blocks;
  }

  private static int block(int y, int height, SplittableRandom random) {
    if (y < 0) {
      return DEEPSLATE;
    } else if (y < height - 4) {
      return y >= ORE_TOP ? STONE : ore(random);
    } else if (y < height) {
      boolean beach = height <= Terrain.SEA_LEVEL + 1;
      return beach ? SAND : y == height - 1 ? GRASS : DIRT;
    }
    return y < Terrain.SEA_LEVEL ? WATER : AIR;
  }

  /** {@return the distinct blocks, in order of first appearance} */
  private static int[] palette(int[] blocks) {
    boolean[] seen = new boolean[BLOCKS.length];
    int[] palette = new int[BLOCKS.length];
    int size = 0;
    for (int id : blocks) {
      if (!seen[id]) {
        seen[id] = true;
        palette[size++] = id;
      }
    }
    return Arrays.copyOf(palette, size);
  }

  private static int ore(SplittableRandom random) {
    int roll = random.nextInt(100);
    return roll < 3 ? COAL : roll < 4 ? IRON : STONE;
  }

  private static int[] paletteIndices(int[] blocks, int[] palette) {
    int[] indexOf = new int[BLOCKS.length];
    for (int i = 0; i < palette.length; i++) {
      indexOf[palette[i]] = i;
    }
    int[] indices = new int[blocks.length];
    for (int i = 0; i < blocks.length; i++) {
      indices[i] = indexOf[blocks[i]];
    }
    return indices;
  }

  /** Minecraft stores block-state indices in at least 4 bits. */
  private static int bits(int paletteSize) {
    return Math.max(4, 32 - Integer.numberOfLeadingZeros(paletteSize - 1));
  }

  /** Sky light, 4 bits per block: full above the surface and the water, dark below. */
  private static byte[] skyLight(int section, int[] heights) {
    byte[] light = new byte[2048];
    for (int i = 0; i < 4096; i++) {
      int y = section * 16 + (i >> 8);
      int level = y >= Math.max(heights[i & 255], Terrain.SEA_LEVEL) ? 15
          : y >= heights[i & 255] ? 12 : 0;
      light[i >> 1] |= (byte) ((i & 1) == 0 ? level : level << 4);
    }
    return light;
  }

  private static void writeHeightmaps(NbtWriter nbt, int[] heights) {
    int[] surface = Arrays.stream(heights).map(h -> Math.max(h, Terrain.SEA_LEVEL) - MIN_Y).toArray();
    int[] floor = Arrays.stream(heights).map(h -> h - MIN_Y).toArray();
    nbt.beginCompound("Heightmaps")
        .putLongArray("MOTION_BLOCKING", PackedArray.pack(surface, 9))
        .putLongArray("WORLD_SURFACE", PackedArray.pack(surface, 9))
        .putLongArray("OCEAN_FLOOR", PackedArray.pack(floor, 9))
        .endCompound();
  }
}
