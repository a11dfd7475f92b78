package dev.weakalloc;

import static dev.weakalloc.TestValues.BLOCK_PAYLOAD;
import static dev.weakalloc.TestValues.PER_REGION;
import static dev.weakalloc.TestValues.isPattern;
import static dev.weakalloc.TestValues.pattern;
import static dev.weakalloc.TestValues.smallAlloc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WeakRef#readIfPresent}: the scoped read. It pins for the call only, hands the reader a
 * view that dies with the call, unpins when the reader throws, and records the use.
 */
class ScopedReadTest {
  private final WeakAlloc alloc = smallAlloc();

  @AfterEach
  void close() {
    alloc.close();
  }

  private WeakRef<byte[]> give(int seed) {
    return alloc.give(pattern(BLOCK_PAYLOAD, seed), Codecs.bytes());
  }

  /** The example of {@link WeakRef#readIfPresent}'s javadoc; {@link JavadocSnippetsTest} keeps them equal. */
  @Test
  void readIfPresent_javadocExample_sumsTheBytes() {
    // @start region="read-if-present"
    WeakRef<byte[]> ref = alloc.give(new byte[] {1, 2, 3}, Codecs.bytes());
    Integer sum = ref.readIfPresent(bytes -> {
      int total = 0;
      for (long i = 0; i < bytes.size(); i++) {
        total += bytes.get(i);
      }
      return total; // a result made from the bytes, never the view
    });
    // sum is 6, or null had the value been evicted
    // @end
    assertThat(sum).isEqualTo(6);
  }

  @Test
  void readIfPresent_present_readsTheBytesInPlaceWithoutAnArcRef() {
    WeakRef<byte[]> ref = give(3);

    byte[] copy = ref.readIfPresent(bytes -> {
      assertThat(alloc.stats().pinnedBytes()).as("no ArcRef: a transient pin").isZero();
      assertThat(ref.pins()).isEqualTo(1);
      return bytes.toArray();
    });

    assertThat(isPattern(copy, 3)).isTrue();
    assertThat(ref.pins()).isZero();
    assertThat(alloc.stats().leakedPins()).isZero();
  }

  @Test
  void readIfPresent_removed_returnsNullWithoutCallingTheReader() {
    WeakRef<byte[]> ref = give(3);
    alloc.free(ref);

    Object result = ref.readIfPresent(bytes -> {
      throw new AssertionError("the reader of a removed value was called");
    });

    assertThat(result).isNull();
    assertThat(ref.pins()).as("the phantom pin was taken back").isZero();
  }

  @Test
  void readIfPresent_afterAllocatorClosed_returnsNull() {
    WeakRef<byte[]> ref = give(3);
    alloc.close();

    assertThat(ref.readIfPresent(ByteView::toArray)).isNull();
  }

  @Test
  void readIfPresent_freedDuringTheRead_stillReadsAndReleasesAfter() {
    WeakRef<byte[]> ref = give(3);

    byte[] copy = ref.readIfPresent(bytes -> {
      assertThat(alloc.free(ref)).isTrue();
      assertThat(alloc.stats().usedBytes()).as("released only when the read ends").isPositive();
      return bytes.toArray();
    });

    assertThat(isPattern(copy, 3)).isTrue();
    assertThat(alloc.stats().usedBytes()).isZero();
    assertThat(ref.readIfPresent(ByteView::toArray)).isNull();
  }

  @Test
  void readIfPresent_viewEscaped_everyAccessThrowsIllegalStateException() throws Exception {
    WeakRef<byte[]> ref = give(3);
    AtomicReference<InputStream> stream = new AtomicReference<>();

    ByteView escaped = ref.readIfPresent(bytes -> {
      stream.set(bytes.asInputStream());
      return bytes;
    });
    alloc.free(ref);
    give(4); // takes the released block over: a stray read would see these bytes

    InputStream in = stream.get();
    assertEnded(escaped::size);
    assertEnded(() -> escaped.get(0));
    assertEnded(() -> escaped.copyTo(0, new byte[10], 0, 10));
    assertEnded(() -> escaped.copyTo(0, ByteBuffer.allocate(10)));
    assertEnded(escaped::toArray);
    assertEnded(escaped::asInputStream);
    assertEnded(in::read);
    assertEnded(() -> in.read(new byte[10], 0, 10));
    assertEnded(in::readAllBytes);
    assertEnded(in::available);
  }

  private static void assertEnded(ThrowingCallable access) {
    assertThatThrownBy(access).isInstanceOf(IllegalStateException.class).hasMessageContaining("scoped read");
  }

  @Test
  void readIfPresent_readerThrows_rethrowsAndUnpinsSoTheValueCanBeEvicted() {
    WeakRef<byte[]> ref = give(0);
    IllegalArgumentException thrown = new IllegalArgumentException("reader failed");

    assertThatThrownBy(() -> ref.readIfPresent(bytes -> {
      throw thrown;
    })).isSameAs(thrown);

    assertThat(ref.pins()).isZero();
    for (int i = 1; i <= PER_REGION; i++) {
      give(i); // the region holds PER_REGION values: the last give evicts the oldest, ref
    }
    assertThat(ref.isPresent()).isFalse();
    assertThat(alloc.stats().evictions()).isEqualTo(1);
  }

  @Test
  void readIfPresent_readerThrowsAfterAFree_releasesTheBlock() {
    WeakRef<byte[]> ref = give(0);

    assertThatThrownBy(() -> ref.readIfPresent(bytes -> {
      alloc.free(ref);
      throw new IllegalStateException("reader failed");
    })).hasMessage("reader failed");

    assertThat(alloc.stats().usedBytes()).isZero();
    assertThat(alloc.stats().liveValues()).isZero();
  }

  @Test
  void readIfPresent_duringTheRead_valueSurvivesAGiveThatEvicts() {
    List<WeakRef<byte[]>> refs = new ArrayList<>();
    for (int i = 0; i < PER_REGION; i++) {
      refs.add(give(i));
    }

    byte[] copy = refs.get(0).readIfPresent(bytes -> {
      give(PER_REGION); // must evict: not the oldest, which this read pins
      return bytes.toArray();
    });

    assertThat(isPattern(copy, 0)).isTrue();
    assertThat(refs.get(0).isPresent()).isTrue();
    assertThat(refs.get(1).isPresent()).isFalse();
  }

  @Test
  void readIfPresent_ofOldest_countsAsAUse() {
    List<WeakRef<byte[]>> refs = new ArrayList<>();
    for (int i = 0; i < PER_REGION; i++) {
      refs.add(give(i));
    }
    refs.get(0).readIfPresent(bytes -> bytes.get(0));

    give(PER_REGION);

    assertThat(refs.get(0).isPresent()).isTrue();
    assertThat(refs.get(1).isPresent()).isFalse();
  }
}
