package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeakAllocSmokeTest {
  @Test
  void give_upgrade_evict_mixedSizes() {
    try (WeakAlloc alloc = WeakAlloc.over(MemoryAllocator.region(4 << 20, 1 << 20))) {
      Random random = new Random(1);
      List<WeakRef<byte[]>> refs = new ArrayList<>();
      long given = 0;
      for (int i = 0; i < 5000; i++) {
        int size = 64 << random.nextInt(12);
        byte[] value = new byte[Math.min(size, 900_000)];
        value[0] = (byte) i;
        refs.add(alloc.give(value, Codecs.bytes()));
        given += value.length;
        if (i % 7 == 0) {
          refs.get(random.nextInt(refs.size())).getIfPresent();
        }
      }
      WeakAllocStats stats = alloc.stats();
      System.out.println(stats + " utilization " + stats.utilization()
          + " amplification " + (double) stats.evictedBytes() / given);
      long live = refs.stream().filter(WeakRef::isPresent).count();
      assertThat(live).isEqualTo(stats.liveValues());
      for (int i = 0; i < refs.size(); i++) {
        byte[] v = refs.get(i).getIfPresent();
        if (v != null) {
          assertThat(v[0]).isEqualTo((byte) i);
        }
      }
    }
  }
}
