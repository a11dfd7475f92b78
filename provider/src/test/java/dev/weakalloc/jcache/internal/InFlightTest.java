package dev.weakalloc.jcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link InFlight}: a wait ends when the operations that entered before it have exited, and not before. */
class InFlightTest {
  private final InFlight inFlight = new InFlight();

  @Test
  void awaitEarlier_withNothingInFlight_returnsAtOnce() {
    int stripe = inFlight.enter();
    inFlight.exit(stripe);
    inFlight.awaitEarlier();
  }

  @Test
  void awaitEarlier_waitsForAnOperationOfAnotherThreadUntilItExits() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch mayExit = new CountDownLatch(1);
    Thread operation = new Thread(() -> {
      int stripe = inFlight.enter();
      entered.countDown();
      awaitQuietly(mayExit);
      inFlight.exit(stripe);
    });
    operation.start();
    entered.await();

    CompletableFuture<Void> wait = CompletableFuture.runAsync(inFlight::awaitEarlier);
    Thread.sleep(100);
    assertThat(wait).as("still waiting while the operation is in flight").isNotDone();
    mayExit.countDown();
    wait.get(10, TimeUnit.SECONDS);
    operation.join();
  }

  @Test
  void awaitEarlier_isNotEndedByALaterOperationThatExitsFirst() throws Exception {
    int early = inFlight.enter();
    CompletableFuture<Void> wait = CompletableFuture.runAsync(inFlight::awaitEarlier);
    int late = inFlight.enter(); // the same thread, so the same stripe
    inFlight.exit(late);
    Thread.sleep(100);
    assertThat(wait).as("still waiting for the earlier operation").isNotDone();
    inFlight.exit(early);
    wait.get(10, TimeUnit.SECONDS);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
