package dev.weakalloc.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JCacheQuickStartTest {
  @Test
  void run_putThenGet_returnsACopyOfTheBytes() {
    byte[] bytes = {1, 2, 3, 4};
    byte[] copy = JCacheQuickStart.run(bytes);
    assertThat(copy).containsExactly(1, 2, 3, 4).isNotSameAs(bytes);
  }
}
