package dev.weakalloc.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model-checks {@link ReadBuffer} with Lincheck: two producers offer while the consumer drains,
 * on one stripe that is nearly full and about to wrap around. Every record offered with {@link
 * ReadBuffer.Offer#ADDED} is drained exactly once, in its producer's order; nothing else is.
 *
 * <p>To explore more interleavings: {@code ./mvnw -pl allocator test -Dtest=ReadBufferLincheckTest
 * -Dlincheck.scale=20}.
 */
class ReadBufferLincheckTest {

  /** One stripe holding 14 records in slots 14, 15, 0 .. 11: two free slots, then full. */
  public static class OfferVersusDrain {
    final ReadBuffer<Integer> buffer = new ReadBuffer<>(1);
    final List<Integer> expected = new ArrayList<>();
    final List<Integer> drained = new ArrayList<>();
    int nextA = 100;
    int nextB = 200;

    public OfferVersusDrain() {
      for (int i = 0; i < 14; i++) {
        buffer.offer(i);
      }
      buffer.drainTo(e -> {});
      for (int i = 14; i < 28; i++) {
        buffer.offer(i);
        expected.add(i);
      }
    }

    @Operation(nonParallelGroup = "a")
    public void offerA() {
      offer(nextA++);
    }

    @Operation(nonParallelGroup = "b")
    public void offerB() {
      offer(nextB++);
    }

    private void offer(int e) {
      if (buffer.offer(e) == ReadBuffer.Offer.ADDED) {
        synchronized (expected) {
          expected.add(e);
        }
      }
    }

    @Operation(nonParallelGroup = "consumer")
    public void drain() {
      buffer.drainTo(drained::add);
    }

    @Validate
    public void check() {
      buffer.drainTo(drained::add);
      if (!new HashSet<>(drained).equals(new HashSet<>(expected))
          || drained.size() != expected.size()) {
        throw new AssertionError("offered " + expected + " but drained " + drained);
      }
      for (int base : new int[] {0, 100, 200}) {
        List<Integer> mine = drained.stream().filter(e -> e >= base && e < base + 100).toList();
        if (!mine.equals(mine.stream().sorted().toList())) {
          throw new AssertionError("out of order for one producer: " + drained);
        }
      }
    }
  }

  @Test
  void offer_racingWithDrain_drainsEachAddedRecordOnce() {
    new ModelCheckingOptions()
        .iterations(0)
        .addCustomScenario(LincheckScenarios.parallel(OfferVersusDrain.class,
            new String[] {"offerA", "offerA"}, new String[] {"offerB", "offerB"},
            new String[] {"drain", "drain"}))
        .addCustomScenario(LincheckScenarios.parallel(OfferVersusDrain.class,
            new String[] {"offerA", "offerA", "offerA"}, new String[] {"drain", "drain"}))
        .invocationsPerIteration(400 * LincheckScenarios.scale())
        // A drain walks up to 16 slots; at the default bound Lincheck takes that loop for a spin
        // lock and switches away before the consumer reaches the slot being published.
        .loopIterationsBeforeThreadSwitch(64)
        .check(OfferVersusDrain.class);
  }
}
