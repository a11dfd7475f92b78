package dev.weakalloc.samples.region;

import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The chunk requests of players walking about a world, deterministic from the seed: each player
 * walks in a heading that changes now and then, is pulled back towards the spawn, sometimes
 * respawns there, and loads chunks around itself within a view distance. The spawn area is hot;
 * the rest of the world is visited in passing.
 *
 * <p>Stateless; thread-safe.
 */
final class AccessPattern {
  static final int PLAYERS = 8;
  private static final int VIEW_DISTANCE = 8;

  /**
   * One request: a chunk, and the region that holds it.
   *
   * @param region the region of the chunk
   * @param chunkIndex the chunk's index in the region
   */
  record Request(RegionPos region, int chunkIndex) {}

  private AccessPattern() {}

  /**
   * The chunks players may walk over, and the spawn they start from and head back to. Immutable;
   * thread-safe if {@code holds} is.
   *
   * @param minChunkX the westmost chunk x
   * @param maxChunkX the eastmost chunk x
   * @param minChunkZ the northmost chunk z
   * @param maxChunkZ the southmost chunk z
   * @param spawnX the spawn's chunk x
   * @param spawnZ the spawn's chunk z
   * @param holds whether the world has the region (a request for a region it lacks is not made)
   */
  record Area(int minChunkX, int maxChunkX, int minChunkZ, int maxChunkZ, int spawnX, int spawnZ,
      Predicate<RegionPos> holds) {

    /** {@return the area of a generated world: {@code worldSize} regions a side about (0, 0)} */
    static Area square(int worldSize) {
      int min = -worldSize / 2 * AnvilLayout.CHUNKS_PER_SIDE;
      int max = (worldSize - worldSize / 2) * AnvilLayout.CHUNKS_PER_SIDE - 1;
      return new Area(min, max, min, max, 0, 0, pos -> true);
    }
  }

  /** {@return {@code count} requests in a world of {@code worldSize} by {@code worldSize} regions} */
  static Request[] generate(long seed, int count, int worldSize) {
    return generate(seed, count, Area.square(worldSize));
  }

  /**
   * {@return {@code count} requests in {@code area}, each for a region the area holds}
   *
   * @throws IllegalArgumentException if the players' walks find too few chunks in the regions the
   *     area holds (fewer than one walk step in a thousand)
   */
  static Request[] generate(long seed, int count, Area area) {
    SplittableRandom random = new SplittableRandom(seed);
    int minX = area.minChunkX() - area.spawnX();
    int maxX = area.maxChunkX() - area.spawnX();
    int minZ = area.minChunkZ() - area.spawnZ();
    int maxZ = area.maxChunkZ() - area.spawnZ();
    Player[] players = new Player[PLAYERS];
    for (int i = 0; i < PLAYERS; i++) {
      players[i] = new Player(random);
    }
    Request[] requests = new Request[count];
    long tries = 0;
    for (int i = 0; i < count; tries++) {
      if (tries > 1000L * count + 100_000) {
        throw new IllegalArgumentException("the players found only " + i + " chunk requests in "
            + tries + " steps: the world's regions are too few or too far from its middle");
      }
      Player player = players[random.nextInt(PLAYERS)];
      player.step(random, minX, maxX, minZ, maxZ);
      int x = Math.clamp(player.x + random.nextInt(-VIEW_DISTANCE, VIEW_DISTANCE + 1), minX, maxX)
          + area.spawnX();
      int z = Math.clamp(player.z + random.nextInt(-VIEW_DISTANCE, VIEW_DISTANCE + 1), minZ, maxZ)
          + area.spawnZ();
      RegionPos region = RegionPos.ofChunk(x, z);
      if (area.holds().test(region)) {
        requests[i++] = new Request(region, AnvilLayout.chunkIndex(x, z));
      }
    }
    return requests;
  }

  /** A walker in chunk coordinates. Not thread-safe; used by one generating thread. */
  private static final class Player {
    int x;
    int z;
    int dx;
    int dz;

    Player(SplittableRandom random) {
      x = random.nextInt(-16, 17);
      z = random.nextInt(-16, 17);
      turn(random);
    }

    void step(SplittableRandom random, int minX, int maxX, int minZ, int maxZ) {
      if (random.nextInt(400) == 0) { // respawn
        x = random.nextInt(-16, 17);
        z = random.nextInt(-16, 17);
      } else if (random.nextInt(30) == 0) {
        turn(random);
      } else if (random.nextInt(Math.max(1, 200 - (Math.abs(x) + Math.abs(z)))) == 0) {
        dx = -Integer.signum(x); // head home: the further out, the likelier
        dz = -Integer.signum(z);
      }
      x = Math.clamp(x + dx, minX, maxX);
      z = Math.clamp(z + dz, minZ, maxZ);
    }

    private void turn(SplittableRandom random) {
      dx = random.nextInt(-1, 2);
      dz = random.nextInt(-1, 2);
    }
  }
}
