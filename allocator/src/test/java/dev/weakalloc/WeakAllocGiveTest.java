package dev.weakalloc;

import static dev.weakalloc.TestValues.BLOCK_PAYLOAD;
import static dev.weakalloc.TestValues.PER_REGION;
import static dev.weakalloc.TestValues.REGION;
import static dev.weakalloc.TestValues.isPattern;
import static dev.weakalloc.TestValues.pattern;
import static dev.weakalloc.TestValues.smallAlloc;
import static dev.weakalloc.WeakAllocPinningTest.withoutFailures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Giving: oversize requests, tryGive, codec failures and bad arguments. */
class WeakAllocGiveTest {
  private final WeakAlloc alloc = smallAlloc();

  @AfterEach
  void close() {
    alloc.close();
  }

  private List<WeakRef<byte[]>> fill() {
    List<WeakRef<byte[]>> refs = new ArrayList<>();
    for (int i = 0; i < PER_REGION; i++) {
      refs.add(alloc.give(pattern(BLOCK_PAYLOAD, i), Codecs.bytes()));
    }
    return refs;
  }

  // --- reusing a released block without the lock ---

  @Test
  void give_handleKeepsItsCodecAndTheHoldersExpiry_whichTheAllocatorNeverActsOn() {
    Codec<byte[]> codec = Codecs.bytes();
    WeakRef<byte[]> ref = alloc.give(pattern(BLOCK_PAYLOAD, 5), codec, "tag");

    assertThat(ref.codec()).isSameAs(codec);
    assertThat(ref.tag()).isEqualTo("tag");
    assertThat(ref.expiresAt()).as("unset").isZero();
    ref.setExpiresAt(1L);
    assertThat(ref.expiresAt()).isEqualTo(1L);
    assertThat(isPattern(ref.getIfPresent(), 5)).as("an expiry in the past expires nothing").isTrue();
  }

  @Test
  void give_ofTheSizeAFreeReleased_takesThatBlockAndItsPlaceInTheCounts() {
    List<WeakRef<byte[]>> refs = fill();
    WeakRef<byte[]> freed = refs.get(3);
    alloc.free(freed);

    WeakRef<byte[]> given = alloc.give(pattern(BLOCK_PAYLOAD, 99), Codecs.bytes());

    assertThat(given.address).as("the freed block, reused in place").isEqualTo(freed.address);
    assertThat(freed.getIfPresent()).isNull();
    assertThat(isPattern(given.getIfPresent(), 99)).isTrue();
    WeakAllocStats stats = alloc.stats();
    assertThat(stats.liveValues()).isEqualTo(PER_REGION);
    assertThat(stats.allocatedBlocks()).isEqualTo(PER_REGION);
    assertThat(stats.valueBytes()).isEqualTo((long) PER_REGION * BLOCK_PAYLOAD);
    assertThat(stats.evictions()).isZero();
  }

  @Test
  void replace_bySameSize_completesWhileAnotherThreadHoldsTheLock() throws Exception {
    List<WeakRef<byte[]>> refs = fill();
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread holder = Thread.ofPlatform().start(() -> {
      alloc.lock.lock();
      try {
        locked.countDown();
        done.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        alloc.lock.unlock();
      }
    });
    locked.await();
    try {
      CompletableFuture<WeakRef<byte[]>> replaced = CompletableFuture.supplyAsync(() -> {
        alloc.free(refs.get(5));
        return alloc.give(pattern(BLOCK_PAYLOAD, 77), Codecs.bytes());
      });
      WeakRef<byte[]> given = replaced.get(5, TimeUnit.SECONDS);
      assertThat(isPattern(given.getIfPresent(), 77)).isTrue();
    } finally {
      done.countDown();
      holder.join();
    }
  }

  @Test
  void give_reusingAReleasedBlock_entersTheRecencyOrderAsTheNewest() {
    List<WeakRef<byte[]>> refs = fill();
    alloc.free(refs.get(0));
    WeakRef<byte[]> reused = alloc.give(pattern(BLOCK_PAYLOAD, 99), Codecs.bytes());

    // Each further give must evict; the oldest of the first fill go, the reused value stays.
    for (int i = 0; i < PER_REGION - 1; i++) {
      alloc.give(pattern(BLOCK_PAYLOAD, 100 + i), Codecs.bytes());
    }

    assertThat(reused.isPresent()).isTrue();
    assertThat(refs.stream().filter(WeakRef::isPresent)).isEmpty();
  }

  @Test
  void give_afterClose_throwsAndTakesNoReleasedBlock() {
    WeakRef<byte[]> ref = alloc.give(pattern(BLOCK_PAYLOAD, 1), Codecs.bytes());
    ArcRef<byte[]> pin = ref.upgrade().orElseThrow();
    alloc.free(ref);
    alloc.close();
    pin.close(); // the last pin releases the block after the close

    assertThatThrownBy(() -> alloc.give(pattern(BLOCK_PAYLOAD, 2), Codecs.bytes()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  // --- oversize ---

  @Test
  void maxValueSize_region_isTheChunk() {
    assertThat(alloc.maxValueSize()).isEqualTo(REGION);
    assertThat(alloc.capacity()).isEqualTo(REGION);
  }

  @Test
  void give_largerThanMaxValueSize_throwsAtOnceAndEvictsNothing() {
    List<WeakRef<byte[]>> refs = fill();
    WeakAllocStats before = alloc.stats();
    int size = (int) alloc.maxValueSize() + 1;

    assertThatThrownBy(() -> alloc.give(new byte[size], Codecs.bytes()))
        .isInstanceOfSatisfying(
            ValueTooLargeException.class,
            e -> {
              assertThat(e.requestedBytes()).isEqualTo(size);
              assertThat(e.maxAllocation()).isEqualTo(alloc.maxValueSize());
              assertThat(e.capacityBytes()).isEqualTo(REGION);
              assertThat(e.getMessage()).contains(String.valueOf(size));
            });

    WeakAllocStats after = alloc.stats();
    assertThat(after.failedAllocations()).isEqualTo(1);
    assertThat(after.failedSizeHistogram().get(16)).isEqualTo(1); // 65537 in [2^16, 2^17)
    assertThat(after.failedSizeHistogram().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
    assertThat(withoutFailures(after)).isEqualTo(withoutFailures(before));
    assertThat(refs).allMatch(WeakRef::isPresent);
  }

  @Test
  void giveAndUpgradeAndTryGive_largerThanMaxValueSize_throwValueTooLarge() {
    byte[] huge = new byte[(int) alloc.maxValueSize() + 1];

    assertThatThrownBy(() -> alloc.giveAndUpgrade(huge, Codecs.bytes()))
        .isInstanceOf(ValueTooLargeException.class);
    assertThatThrownBy(() -> alloc.tryGive(huge, Codecs.bytes()))
        .isInstanceOf(ValueTooLargeException.class);
    assertThat(alloc.stats().failedAllocations()).isEqualTo(2);
    assertThat(alloc.stats().usedBytes()).isZero();
  }

  @Test
  void give_exactlyMaxValueSize_fitsInEmptyRegion() {
    fill();
    byte[] largest = pattern((int) alloc.maxValueSize(), 5);

    WeakRef<byte[]> ref = alloc.give(largest, Codecs.bytes());

    assertThat(isPattern(ref.getIfPresent(), 5)).isTrue();
    assertThat(alloc.stats().evictions()).isEqualTo(PER_REGION);
    assertThat(alloc.stats().failedAllocations()).isZero();
  }

  @Test
  void give_maxValueSizeOfARegionSmallerThanItsChunk_fitsWithoutEvictingMore() {
    try (WeakAlloc small = WeakAlloc.withCapacity(1_000_000)) { // one short chunk of the default 32 MiB ones
      WeakRef<byte[]> first = small.give(pattern(5000, 1), Codecs.bytes()); // > the header room
      byte[] largest = pattern((int) small.maxValueSize(), 2);

      WeakRef<byte[]> ref = small.give(largest, Codecs.bytes());

      assertThat(small.maxValueSize()).isEqualTo(small.capacity());
      assertThat(isPattern(ref.getIfPresent(), 2)).isTrue();
      assertThat(first.isPresent()).isFalse();
      assertThat(small.stats().evictions()).isEqualTo(1);
    }
  }

  // --- tryGive ---

  @Test
  void tryGive_room_givesWithoutEvicting() {
    Optional<WeakRef<byte[]>> ref = alloc.tryGive(pattern(100, 1), Codecs.bytes());

    assertThat(ref).isPresent();
    assertThat(isPattern(ref.get().getIfPresent(), 1)).isTrue();
    assertThat(alloc.stats().liveValues()).isEqualTo(1);
  }

  @Test
  void tryGive_full_returnsEmptyAndLeavesEverythingInPlace() {
    List<WeakRef<byte[]>> refs = fill();
    WeakAllocStats before = alloc.stats();

    assertThat(alloc.tryGive(pattern(1000, 1), Codecs.bytes())).isEmpty(); // > the header room

    assertThat(alloc.stats()).isEqualTo(before);
    for (int i = 0; i < refs.size(); i++) {
      assertThat(isPattern(refs.get(i).getIfPresent(), i)).isTrue();
    }
  }

  // --- codec failures ---

  /** A codec that fails where told to. */
  private record FailingCodec(boolean inEncode, RuntimeException failure) implements Codec<byte[]> {
    @Override
    public Encoding encode(byte[] value) {
      if (inEncode) {
        throw failure;
      }
      return new Encoding() {
        @Override
        public long byteSize() {
          return value.length;
        }

        @Override
        public void writeTo(MemorySegment target) {
          target.asSlice(0, value.length / 2).copyFrom(MemorySegment.ofArray(value).asSlice(0, value.length / 2));
          throw failure;
        }
      };
    }

    @Override
    public byte[] decode(MemorySegment bytes) {
      return Codecs.bytes().decode(bytes);
    }
  }

  private void assertCodecFailureAllocatesNothing(FailingCodec codec) {
    WeakRef<byte[]> kept = alloc.give(pattern(300, 1), Codecs.bytes());
    WeakAllocStats before = alloc.stats();

    assertThatThrownBy(() -> alloc.give(pattern(BLOCK_PAYLOAD, 2), codec))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> alloc.giveAndUpgrade(pattern(BLOCK_PAYLOAD, 2), codec))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> alloc.tryGive(pattern(BLOCK_PAYLOAD, 2), codec))
        .isInstanceOf(CodecException.class);

    WeakAllocStats after = alloc.stats();
    assertThat(after.usedBytes()).isEqualTo(before.usedBytes());
    assertThat(after.liveValues()).isEqualTo(before.liveValues());
    assertThat(after.allocatedBlocks()).isEqualTo(before.allocatedBlocks());
    assertThat(after.valueBytes()).isEqualTo(before.valueBytes());
    assertThat(after.pinnedBytes()).isZero();
    assertThat(after.evictions()).isZero();
    assertThat(isPattern(kept.getIfPresent(), 1)).isTrue();
    alloc.free(kept);
    assertThat(alloc.stats().usedBytes()).as("no block left behind").isZero();
    assertThat(alloc.stats().allocatedBlocks()).isZero();
  }

  @Test
  void give_encodeThrowsCodecException_throwsItAndAllocatesNothing() {
    assertCodecFailureAllocatesNothing(new FailingCodec(true, new CodecException("no")));
  }

  @Test
  void give_encodeThrowsOtherRuntimeException_throwsCodecExceptionAndAllocatesNothing() {
    assertCodecFailureAllocatesNothing(new FailingCodec(true, new IllegalArgumentException("no")));
  }

  @Test
  void give_writeToThrows_throwsCodecExceptionAndAllocatesNothing() {
    assertCodecFailureAllocatesNothing(new FailingCodec(false, new IllegalStateException("no")));
  }

  @Test
  void give_writeToThrows_causeIsKept() {
    IllegalStateException failure = new IllegalStateException("disk on fire");

    assertThatThrownBy(() -> alloc.give(pattern(10, 1), new FailingCodec(false, failure)))
        .isInstanceOf(CodecException.class)
        .hasCause(failure);
  }

  @Test
  void give_negativeSizeFromCodec_throwsCodecException() {
    Codec<byte[]> negative =
        new Codec<>() {
          @Override
          public Encoding encode(byte[] value) {
            return new Encoding() {
              @Override
              public long byteSize() {
                return -1;
              }

              @Override
              public void writeTo(MemorySegment target) {}
            };
          }

          @Override
          public byte[] decode(MemorySegment bytes) {
            return new byte[0];
          }
        };

    assertThatThrownBy(() -> alloc.give(new byte[1], negative)).isInstanceOf(CodecException.class);
    assertThat(alloc.stats().usedBytes()).isZero();
  }

  @Test
  void give_nullValueOrCodec_throwsNullPointerException() {
    assertThatThrownBy(() -> alloc.give(null, Codecs.bytes())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> alloc.give(new byte[1], null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> alloc.giveAndUpgrade(null, Codecs.bytes()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> alloc.tryGive(new byte[1], null))
        .isInstanceOf(NullPointerException.class);
    assertThat(alloc.stats().usedBytes()).isZero();
    assertThat(alloc.stats().liveValues()).isZero();
  }

  @Test
  void give_withTag_tagReadableAfterRemoval() {
    WeakRef<byte[]> ref = alloc.give(pattern(10, 1), Codecs.bytes(), "key-1");

    alloc.free(ref);

    assertThat(ref.tag()).isEqualTo("key-1");
    assertThat(ref.byteSize()).isEqualTo(10);
    assertThat(ref.allocator()).isSameAs(alloc);
  }
}
