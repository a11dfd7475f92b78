package dev.weakalloc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The count-min sketch of admission: counts, saturation, aging and sizing. */
class FrequencySketchTest {

  @Test
  void frequency_countsEachIncrement() {
    FrequencySketch sketch = new FrequencySketch(1024);
    for (int i = 1; i <= 10; i++) {
      sketch.increment(42);
      assertThat(sketch.frequency(42)).isEqualTo(i);
    }
    assertThat(sketch.frequency(43)).isZero();
  }

  @Test
  void frequency_saturatesAtFifteen() {
    FrequencySketch sketch = new FrequencySketch(1024);
    for (int i = 0; i < 100; i++) {
      sketch.increment(7);
    }
    assertThat(sketch.frequency(7)).isEqualTo(FrequencySketch.MAX_FREQUENCY);
  }

  @Test
  void increment_sampleFull_halvesEveryCounter() {
    FrequencySketch sketch = new FrequencySketch(64);
    for (int i = 0; i < 12; i++) {
      sketch.increment(1);
    }
    for (int i = 0; i < 9; i++) {
      sketch.increment(2);
    }
    int sample = sketch.sampleSize();
    int other = 1_000;
    // Distinct hashes until the sample fills: each adds at least one counter until then.
    while (sketch.sampleCount() != 0 && sketch.sampleCount() < sample - 1) {
      sketch.increment(other++);
    }
    int before1 = sketch.frequency(1);
    int before2 = sketch.frequency(2);
    assertThat(before1).isGreaterThanOrEqualTo(12);
    sketch.increment(other); // the record that fills the sample: every counter is halved
    assertThat(sketch.sampleCount()).isLessThan(sample / 2);
    // Halved (the last record may have added one to a counter of the key before the halving).
    assertThat(sketch.frequency(1)).isBetween(before1 / 2, (before1 + 1) / 2);
    assertThat(sketch.frequency(2)).isBetween(before2 / 2, (before2 + 1) / 2);
  }

  @Test
  void reset_halvesAndKeepsOrder() {
    FrequencySketch sketch = new FrequencySketch(1024);
    for (int i = 0; i < 8; i++) {
      sketch.increment(100);
    }
    sketch.increment(200);
    sketch.reset();
    assertThat(sketch.frequency(100)).isEqualTo(4);
    assertThat(sketch.frequency(200)).isZero();
  }

  @Test
  void ensureCapacity_growsToAPowerOfTwoAndForgets() {
    FrequencySketch sketch = new FrequencySketch(0);
    assertThat(sketch.byteSize()).isEqualTo(64 * 8);
    sketch.increment(5);
    assertThat(sketch.ensureCapacity(64)).isFalse();
    assertThat(sketch.frequency(5)).isEqualTo(1);

    assertThat(sketch.ensureCapacity(1000)).isTrue();
    assertThat(sketch.byteSize()).isEqualTo(1024 * 8);
    assertThat(sketch.sampleSize()).isEqualTo(10 * 1024);
    assertThat(sketch.frequency(5)).isZero();
    assertThat(sketch.ensureCapacity(10)).isFalse(); // never shrinks
    assertThat(new FrequencySketch(Long.MAX_VALUE).byteSize()).isEqualTo(8L << 22);
  }

  @Test
  void frequency_ofManyDistinctHashes_isMostlyExact() {
    FrequencySketch sketch = new FrequencySketch(4096);
    for (int key = 0; key < 4096; key++) {
      sketch.increment(key);
    }
    int overestimated = 0;
    for (int key = 0; key < 4096; key++) {
      assertThat(sketch.frequency(key)).isPositive(); // a count-min sketch never underestimates
      if (sketch.frequency(key) > 1) {
        overestimated++;
      }
    }
    assertThat(overestimated).isLessThan(4096 / 20);
  }

  @Test
  void raise_setsAtLeastTheFrequencyWithoutCounting() {
    FrequencySketch sketch = new FrequencySketch(1024);
    sketch.increment(3);
    sketch.raise(3, 9);
    sketch.raise(4, 2);
    sketch.raise(4, 1); // never lowers
    sketch.raise(5, 99); // saturates

    assertThat(sketch.frequency(3)).isEqualTo(9);
    assertThat(sketch.frequency(4)).isEqualTo(2);
    assertThat(sketch.frequency(5)).isEqualTo(FrequencySketch.MAX_FREQUENCY);
    assertThat(sketch.sampleCount()).isEqualTo(1);
  }
}
