package dev.weakalloc;

import static dev.weakalloc.TestValues.BLOCK_PAYLOAD;
import static dev.weakalloc.TestValues.PER_REGION;
import static dev.weakalloc.TestValues.isPattern;
import static dev.weakalloc.TestValues.pattern;
import static dev.weakalloc.TestValues.smallAlloc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.function.Predicate;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ArcRef and ByteView: access while open, IllegalStateException after close, leaked pins. */
class ArcRefTest {
  private final WeakAlloc alloc = smallAlloc();
  /** The leak warnings the leak tests provoke, asserted there rather than printed. */
  private final CapturedLog log = new CapturedLog();

  @AfterEach
  void close() {
    alloc.close();
    log.close();
  }

  private ArcRef<byte[]> pinned(int size, int seed) {
    return alloc.give(pattern(size, seed), Codecs.bytes()).upgrade().orElseThrow();
  }

  private static void assertClosed(ThrowingCallable access) {
    assertThatThrownBy(access).isInstanceOf(IllegalStateException.class);
  }

  // --- open ---

  @Test
  void bytes_open_viewReadsTheValue() throws Exception {
    try (ArcRef<byte[]> pin = pinned(1000, 4)) {
      ByteView view = pin.bytes();
      byte[] expected = pattern(1000, 4);

      assertThat(view.size()).isEqualTo(1000);
      assertThat(view.get(999)).isEqualTo(expected[999]);
      assertThat(view.toArray()).isEqualTo(expected);
      byte[] part = new byte[10];
      view.copyTo(500, part, 0, 10);
      assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(expected, 500, 510));
      ByteBuffer buffer = ByteBuffer.allocate(2000);
      assertThat(view.copyTo(990, buffer)).isEqualTo(10);
      assertThat(buffer.position()).isEqualTo(10);
      try (InputStream in = view.asInputStream()) {
        assertThat(in.readAllBytes()).isEqualTo(expected);
      }
      assertThat(pin.byteSize()).isEqualTo(1000);
      assertThat(pin.isOpen()).isTrue();
    }
  }

  @Test
  void bytes_indexOutsideValue_throwsIndexOutOfBounds() {
    try (ArcRef<byte[]> pin = pinned(10, 4)) {
      assertThatThrownBy(() -> pin.bytes().get(10)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> pin.bytes().copyTo(5, new byte[10], 0, 6))
          .isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void bytes_viewIsReadOnlyOverTheRegion_getReturnsAFreshCopy() {
    try (ArcRef<byte[]> pin = pinned(10, 4)) {
      byte[] copy = pin.get();
      copy[0]++;
      assertThat(isPattern(pin.get(), 4)).isTrue();
    }
  }

  // --- closed ---

  @Test
  void getAndBytes_afterClose_throwIllegalStateException() {
    ArcRef<byte[]> pin = pinned(100, 1);
    pin.close();

    assertThat(pin.isOpen()).isFalse();
    assertClosed(pin::get);
    assertClosed(pin::bytes);
    assertThat(pin.downgrade().isPresent()).as("the value itself stays").isTrue();
    assertThat(pin.byteSize()).isEqualTo(100);
  }

  @Test
  void byteView_keptPastClose_everyMethodThrowsIllegalStateException() throws Exception {
    ArcRef<byte[]> pin = pinned(100, 1);
    ByteView view = pin.bytes();
    InputStream in = view.asInputStream();
    assertThat(in.read()).isEqualTo(pattern(100, 1)[0] & 0xFF);

    pin.close();

    assertEveryAccessThrows(view, in);
  }

  @Test
  void byteView_afterValueFreedAndPinClosed_throwsIllegalStateException() throws Exception {
    ArcRef<byte[]> pin = pinned(100, 1);
    ByteView view = pin.bytes();
    InputStream in = view.asInputStream();
    alloc.free(pin.downgrade());
    assertThat(view.get(0)).isEqualTo(pattern(100, 1)[0]);

    pin.close();
    // The block is released; reuse it so that a stray read would see other bytes.
    alloc.give(pattern(100, 2), Codecs.bytes());

    assertEveryAccessThrows(view, in);
  }

  private static void assertEveryAccessThrows(ByteView view, InputStream in) {
    assertClosed(view::size);
    assertClosed(() -> view.get(0));
    assertClosed(() -> view.copyTo(0, new byte[10], 0, 10));
    assertClosed(() -> view.copyTo(0, ByteBuffer.allocate(10)));
    assertClosed(view::toArray);
    assertClosed(view::asInputStream);
    assertClosed(in::read);
    assertClosed(() -> in.read(new byte[10], 0, 10));
    assertClosed(() -> in.read(new byte[10], 0, 0));
    assertClosed(in::readAllBytes);
    assertClosed(() -> in.skip(1));
    assertClosed(in::available);
  }

  @Test
  void close_twice_dropsOnePinOnly() {
    WeakRef<byte[]> ref = alloc.give(pattern(100, 1), Codecs.bytes());
    ArcRef<byte[]> first = ref.upgrade().orElseThrow();
    ArcRef<byte[]> second = ref.upgrade().orElseThrow();

    first.close();
    first.close();

    assertThat(alloc.stats().pinnedBytes()).isEqualTo(100);
    assertThat(isPattern(second.get(), 1)).isTrue();
    second.close();
    assertThat(alloc.stats().pinnedBytes()).isZero();
  }

  // --- the allocator closed ---

  @Test
  void weakAllocClose_openPinsThrowAndGiveThrows() throws Exception {
    ArcRef<byte[]> pin = pinned(100, 1);
    ByteView view = pin.bytes();
    InputStream in = view.asInputStream();
    WeakRef<byte[]> ref = alloc.give(pattern(100, 2), Codecs.bytes());

    alloc.close();

    assertThat(pin.isOpen()).isFalse();
    assertClosed(pin::get);
    assertClosed(pin::bytes);
    assertEveryAccessThrows(view, in);
    assertThat(ref.upgrade()).isEmpty();
    assertThat(ref.getIfPresent()).isNull();
    assertClosed(() -> alloc.give(pattern(10, 1), Codecs.bytes()));
    assertClosed(() -> alloc.giveAndUpgrade(pattern(10, 1), Codecs.bytes()));
    assertClosed(() -> alloc.tryGive(pattern(10, 1), Codecs.bytes()));
    pin.close(); // harmless after the allocator closed
    alloc.close(); // idempotent
  }

  // --- leaks ---

  /** Pins {@code ref} and drops the pin without closing it. */
  private static void leakPin(WeakRef<byte[]> ref) {
    ArcRef<byte[]> leaked = ref.upgrade().orElseThrow();
    assertThat(leaked.isOpen()).isTrue();
  }

  /**
   * Runs the garbage collector until {@code expected} pins were reported leaked and the stats
   * show the pins dropped (the Cleaner counts the leak, then unpins), for at most 10 seconds.
   */
  private void awaitLeaks(long expected, Predicate<WeakAllocStats> settled)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!(settled(expected, settled) && log.warnings().size() == 1)
        && System.nanoTime() < deadline) {
      TestValues.collectGarbage();
      Thread.sleep(20);
    }
    assertThat(alloc.stats().leakedPins()).isEqualTo(expected);
    assertThat(log.warnings()).singleElement(STRING)
        .startsWith("An ArcRef was garbage-collected without close()");
  }

  private boolean settled(long expected, Predicate<WeakAllocStats> settled) {
    WeakAllocStats stats = alloc.stats();
    return stats.leakedPins() >= expected && settled.test(stats);
  }

  @Test
  void arcRef_droppedWithoutClose_unpinnedByCleanerAndCounted() throws InterruptedException {
    WeakRef<byte[]> ref = alloc.give(pattern(BLOCK_PAYLOAD, 1), Codecs.bytes());
    leakPin(ref);
    assertThat(alloc.stats().pinnedBytes()).isEqualTo(BLOCK_PAYLOAD);

    awaitLeaks(1, s -> s.pinnedBytes() == 0);

    assertThat(alloc.stats().pinnedBytes()).isZero();
    assertThat(ref.isPresent()).isTrue();
    // Now evictable again: it is the oldest, so a full set of new values pushes it out.
    for (int i = 0; i < PER_REGION; i++) {
      alloc.give(pattern(BLOCK_PAYLOAD, 10 + i), Codecs.bytes());
    }
    assertThat(ref.isPresent()).isFalse();
  }

  @Test
  void arcRef_leakedAfterFree_releasesTheBlock() throws InterruptedException {
    WeakRef<byte[]> ref = alloc.give(pattern(BLOCK_PAYLOAD, 1), Codecs.bytes());
    leakPin(ref);
    alloc.free(ref);
    assertThat(alloc.stats().usedBytes()).isEqualTo(4096);

    awaitLeaks(1, s -> s.usedBytes() == 0);

    WeakAllocStats released = alloc.stats();
    assertThat(released.usedBytes()).isZero();
    assertThat(released.allocatedBlocks()).isZero();
    assertThat(released.liveValues()).isZero();
  }

  /**
   * {@code close()} closes every pin in effect, so a pin the garbage collector finds after close
   * leaked nothing: no warning. Waits until the pin was collected and its Cleaner had time to run.
   */
  @Test
  void arcRef_droppedAfterTheAllocatorClosed_isNoLeak() throws InterruptedException {
    WeakRef<byte[]> ref = alloc.give(pattern(BLOCK_PAYLOAD, 1), Codecs.bytes());
    java.lang.ref.WeakReference<ArcRef<byte[]>> pin = new java.lang.ref.WeakReference<>(ref.upgrade().orElseThrow());
    alloc.close();

    long deadline = System.nanoTime() + 10_000_000_000L;
    while (pin.get() != null && System.nanoTime() < deadline) {
      TestValues.collectGarbage();
      Thread.sleep(20);
    }
    assertThat(pin.get()).as("the dropped pin was collected").isNull();
    for (int i = 0; i < 10; i++) { // the Cleaner's thread runs the action soon after collection
      TestValues.collectGarbage();
      Thread.sleep(20);
    }
    assertThat(log.warnings()).isEmpty();
  }
}
