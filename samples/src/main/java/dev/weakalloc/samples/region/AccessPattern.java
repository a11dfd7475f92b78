package dev.weakalloc.samples.region;

import java.util.SplittableRandom;

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

  /** {@return {@code count} requests in a world of {@code worldSize} by {@code worldSize} regions} */
  static Request[] generate(long seed, int count, int worldSize) {
    SplittableRandom random = new SplittableRandom(seed);
    int min = -worldSize / 2 * AnvilLayout.CHUNKS_PER_SIDE;
    int max = (worldSize - worldSize / 2) * AnvilLayout.CHUNKS_PER_SIDE - 1;
    Player[] players = new Player[PLAYERS];
    for (int i = 0; i < PLAYERS; i++) {
      players[i] = new Player(random);
    }
    Request[] requests = new Request[count];
    for (int i = 0; i < count; i++) {
      Player player = players[random.nextInt(PLAYERS)];
      player.step(random, min, max);
      int x = Math.clamp(player.x + random.nextInt(-VIEW_DISTANCE, VIEW_DISTANCE + 1), min, max);
      int z = Math.clamp(player.z + random.nextInt(-VIEW_DISTANCE, VIEW_DISTANCE + 1), min, max);
      requests[i] = new Request(RegionPos.ofChunk(x, z), AnvilLayout.chunkIndex(x, z));
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

    void step(SplittableRandom random, int min, int max) {
      if (random.nextInt(400) == 0) { // respawn
        x = random.nextInt(-16, 17);
        z = random.nextInt(-16, 17);
      } else if (random.nextInt(30) == 0) {
        turn(random);
      } else if (random.nextInt(Math.max(1, 200 - (Math.abs(x) + Math.abs(z)))) == 0) {
        dx = -Integer.signum(x); // head home: the further out, the likelier
        dz = -Integer.signum(z);
      }
      x = Math.clamp(x + dx, min, max);
      z = Math.clamp(z + dz, min, max);
    }

    private void turn(SplittableRandom random) {
      dx = random.nextInt(-1, 2);
      dz = random.nextInt(-1, 2);
    }
  }
}
