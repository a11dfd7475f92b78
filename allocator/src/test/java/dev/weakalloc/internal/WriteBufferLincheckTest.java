package dev.weakalloc.internal;

import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model-checks {@link WriteBuffer} with Lincheck: two producers offer while the consumer drains,
 * into a ring of four slots that is nearly full and about to wrap around. Every record whose offer
 * returned true is drained exactly once, each producer's records in the order offered; an offer
 * refused as full changes nothing; and nothing else is drained.
 *
 * <p>It fails, among others, on a consumer that does not stop at a claimed but unpublished slot
 * (it hands out null, or skips the record), and on a producer that does not check the read counter
 * (it overwrites a record not yet drained).
 *
 * <p>To explore more interleavings: {@code ./mvnw -pl allocator test
 * -Dtest=WriteBufferLincheckTest -Dlincheck.scale=20}.
 */
class WriteBufferLincheckTest {

  /** A ring of 4 holding records 2 and 3 in slots 2 and 3: two free slots, then full. */
  public static class OfferVersusDrain {
    final WriteBuffer<Integer> buffer = new WriteBuffer<>(4);
    final List<Integer> expected = new ArrayList<>();
    final List<Integer> drained = new ArrayList<>();
    int nextA = 100;
    int nextB = 200;

    public OfferVersusDrain() {
      buffer.offer(0);
      buffer.offer(1);
      buffer.drainTo(e -> {});
      for (int i = 2; i < 4; i++) {
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
      if (buffer.offer(e)) {
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
      if (drained.contains(null)
          || !drained.stream().sorted().toList().equals(expected.stream().sorted().toList())) {
        throw new AssertionError("offered " + expected + " but drained " + drained);
      }
      for (int base : new int[] {0, 100, 200}) {
        List<Integer> mine = drained.stream().filter(e -> e >= base && e < base + 100).toList();
        if (!mine.equals(mine.stream().sorted().toList())) {
          throw new AssertionError("out of order for one producer: " + drained);
        }
      }
      if (buffer.pending() != 0) {
        throw new AssertionError("drained everything, yet " + buffer.pending() + " pending");
      }
    }
  }

  @Test
  void offer_racingWithDrain_drainsEachAcceptedRecordOnceInOrder() {
    new ModelCheckingOptions()
        .iterations(0)
        .addCustomScenario(LincheckScenarios.parallel(OfferVersusDrain.class,
            new String[] {"offerA", "offerA"}, new String[] {"offerB", "offerB"},
            new String[] {"drain", "drain"}))
        .addCustomScenario(LincheckScenarios.parallel(OfferVersusDrain.class,
            new String[] {"offerA", "offerA", "offerA"}, new String[] {"drain", "drain"}))
        .invocationsPerIteration(200 * LincheckScenarios.scale())
        .check(OfferVersusDrain.class);
  }
}
