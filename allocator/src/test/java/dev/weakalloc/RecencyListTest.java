package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recency list on its own: order, moves, removal and eviction polling. */
class RecencyListTest {
  private final RecencyList list = new RecencyList();

  /** {@return an unpinned handle with no allocator behind it} */
  private static WeakRef<byte[]> ref(long address) {
    WeakRef<byte[]> ref = new WeakRef<>(null, Codecs.bytes(), address, address, 1, 32);
    ref.unpin(); // born pinned
    return ref;
  }

  private List<WeakRef<?>> contents() {
    List<WeakRef<?>> refs = new ArrayList<>();
    list.forEach(refs::add);
    return refs;
  }

  @Test
  void addLast_several_keptOldestFirst() {
    WeakRef<byte[]> a = ref(1), b = ref(2), c = ref(3);
    list.addLast(a);
    list.addLast(b);
    list.addLast(c);

    assertThat(contents()).containsExactly(a, b, c);
    assertThat(list.size()).isEqualTo(3);
    assertThat(list.contains(a)).isTrue();
    assertThat(list.contains(c)).isTrue();
  }

  @Test
  void moveToLast_headOrMiddle_becomesMostRecent() {
    WeakRef<byte[]> a = ref(1), b = ref(2), c = ref(3);
    list.addLast(a);
    list.addLast(b);
    list.addLast(c);

    list.moveToLast(a);
    assertThat(contents()).containsExactly(b, c, a);
    list.moveToLast(c);
    assertThat(contents()).containsExactly(b, a, c);
    list.moveToLast(c); // already last
    assertThat(contents()).containsExactly(b, a, c);
    assertThat(list.size()).isEqualTo(3);
  }

  @Test
  void remove_headMiddleTail_unlinksAndNoLongerContains() {
    WeakRef<byte[]> a = ref(1), b = ref(2), c = ref(3), d = ref(4);
    for (WeakRef<byte[]> r : List.of(a, b, c, d)) {
      list.addLast(r);
    }

    list.remove(b);
    assertThat(contents()).containsExactly(a, c, d);
    list.remove(a);
    list.remove(d);

    assertThat(contents()).containsExactly(c);
    assertThat(list.size()).isEqualTo(1);
    assertThat(list.contains(a)).isFalse();
    assertThat(list.contains(b)).isFalse();
    assertThat(list.contains(d)).isFalse();
    assertThat(list.contains(c)).isTrue();
    list.remove(c);
    assertThat(contents()).isEmpty();
    assertThat(list.contains(c)).isFalse();
  }

  @Test
  void pollEvictable_unpinned_removesOldestAndRetiresIt() {
    WeakRef<byte[]> a = ref(1), b = ref(2);
    list.addLast(a);
    list.addLast(b);

    assertThat(list.pollEvictable()).isSameAs(a);

    assertThat(a.isPresent()).isFalse();
    assertThat(a.tryPin()).isFalse();
    assertThat(contents()).containsExactly(b);
  }

  @Test
  void pollEvictable_oldestPinned_skipsItAndMovesItToTheEnd() {
    WeakRef<byte[]> a = ref(1), b = ref(2), c = ref(3);
    list.addLast(a);
    list.addLast(b);
    list.addLast(c);
    assertThat(a.tryPin()).isTrue();

    assertThat(list.pollEvictable()).isSameAs(b);

    assertThat(a.isPresent()).isTrue();
    assertThat(contents()).containsExactly(c, a);
  }

  @Test
  void pollEvictable_allPinnedOrEmpty_returnsNullAndKeepsAll() {
    assertThat(list.pollEvictable()).isNull();
    WeakRef<byte[]> a = ref(1), b = ref(2);
    list.addLast(a);
    list.addLast(b);
    a.tryPin();
    b.tryPin();

    assertThat(list.pollEvictable()).isNull();

    assertThat(contents()).containsExactlyInAnyOrder(a, b);
    assertThat(a.isPresent()).isTrue();
    assertThat(b.isPresent()).isTrue();
  }

  @Test
  void forEach_actionRemovesEachBlock_visitsAll() {
    List<WeakRef<byte[]>> refs = List.of(ref(1), ref(2), ref(3));
    refs.forEach(list::addLast);
    List<WeakRef<?>> seen = new ArrayList<>();

    list.forEach(r -> {
      seen.add(r);
      list.remove(r);
    });

    assertThat(seen).containsExactlyElementsOf(refs);
    assertThat(list.size()).isZero();
  }

  @Test
  void next_walksTheOrder_andIsNullAfterTheLastOrForARemovedBlock() {
    WeakRef<byte[]> a = ref(1), b = ref(2);
    list.addLast(a);
    list.addLast(b);

    assertThat(list.next(a)).isSameAs(b);
    assertThat(list.next(b)).isNull();
    list.remove(a);
    assertThat(list.next(a)).isNull();
  }

  @Test
  void addLast_afterRemovals_reusesSlotsAndKeepsTheOrderPastGrowth() {
    List<WeakRef<byte[]>> refs = new ArrayList<>();
    for (int i = 0; i < 200; i++) { // past the initial 64 slots, twice
      refs.add(ref(i + 1));
      list.addLast(refs.getLast());
    }
    for (int i = 0; i < 200; i += 2) {
      list.remove(refs.get(i));
    }
    WeakRef<byte[]> late = ref(1000);
    list.addLast(late);
    list.moveToLast(refs.get(1));

    List<WeakRef<?>> expected = new ArrayList<>();
    for (int i = 3; i < 200; i += 2) {
      expected.add(refs.get(i));
    }
    expected.add(late);
    expected.add(refs.get(1));
    assertThat(contents()).containsExactlyElementsOf(expected);
    assertThat(list.size()).isEqualTo(101);
  }
}
