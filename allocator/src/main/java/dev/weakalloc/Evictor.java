package dev.weakalloc;

import dev.weakalloc.internal.GuardedBy;
import dev.weakalloc.internal.Neighbourhood;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes room for a value that the inner allocator refused: plans where the value will go, asks the
 * {@link AdmissionPolicy} (if any) whether it may, then evicts only what the plan names and
 * allocates the value's block in the room made. Also makes the gone handle of a refused
 * newcomer, says why a give failed (its {@link RegionPinnedException}), and tells the {@link
 * EvictionListener} what was evicted.
 *
 * <h2>Thread safety</h2>
 * Not thread-safe: every method but {@link #notifyEvicted} is called under the allocator's lock,
 * {@code WeakAlloc.lock}. Other threads pin and free values meanwhile, without the lock: see the
 * notes. The evicted values go to the caller's list (or, for the common hand-over of the oldest
 * value, {@link #handOverOldest}, are returned, so that a give in a full region makes no list), and
 * the caller has {@link #notifyEvicted} tell the {@link EvictionListener} of them once it released
 * the lock, in its own thread.
 *
 * <h2>Memory ownership</h2>
 * An evicted value's block goes back to the inner allocator through the {@link BlockBook}, or, if
 * it takes exactly the bytes needed, to the new value as it is. Holds no off-heap memory.
 *
 * <h2>Implementation notes</h2>
 * <b>Plan, then evict.</b> The lock holder first decides where the new value will go, and only
 * then evicts. With an allocator that lays blocks side by side (the region), the {@link
 * EvictionPlanner} finds a run of adjacent blocks, free or held by unpinned values, around the
 * least recently used value that has one, the run that evicts the fewest bytes; only that run's
 * values are evicted, and the value goes where they were. A victim whose block takes exactly the
 * bytes needed hands its block over as it is. With another allocator, the plan is the least
 * recently used values whose blocks add up to what is missing. A request that no run can hold
 * fails at once, evicting nothing, with a {@link RegionPinnedException} that names the requested,
 * capacity and pinned bytes and the largest run that could have been made; a request larger than
 * {@link MemoryAllocator#maxAllocation()} fails before any planning.
 *
 * <p><b>Transient pins.</b> When no plan can be made, a second plan that lets through the values
 * pinned only by reads and writes in progress says whether waiting would help: then {@link
 * #evictToFit} returns {@link #WAIT_FOR_PINS}, and the give waits (see {@link PinWait}) and plans
 * again. Pins of open {@link ArcRef}s are not waited for.
 *
 * <p><b>Races with the plan.</b> Pins and frees take no lock, so a value of the plan may be pinned
 * or freed between the plan and its eviction: each value is evicted with a compare-and-set that
 * fails on a pin ({@link WeakRef#tryRetireUnpinned}), which stops the eviction there, and the give
 * plans again. The values evicted before that point stay evicted (their blocks are free room for
 * the next plan): the one case where a give may evict and still fail is a pin landing inside that
 * window, which is a few hundred nanoseconds wide.
 *
 * <p><b>Admission</b> ({@link Admission#TINY_LFU}, opt-in). Once a plan is found, and before
 * anything is evicted, the {@link AdmissionPolicy} compares the newcomer's frequency with the
 * planned victims'; a refused newcomer evicts nothing and takes no block ({@link #REFUSED}). It is
 * asked once per give: a plan made again after a race does not draw again. Gives that need no
 * eviction are always admitted.
 */
final class Evictor {
  /** The allocator's logger: listeners' failures are logged under {@code WeakAlloc}'s name. */
  private static final System.Logger LOG = System.getLogger(WeakAlloc.class.getName());
  /** Returned by {@link #evictToFit} when waiting for transient pins would make room. */
  static final long WAIT_FOR_PINS = -2;
  /** Returned by {@link #evictToFit} when admission refused the newcomer; a gone handle's address. */
  static final long REFUSED = Long.MIN_VALUE;

  private final MemoryAllocator allocator;
  /** The inner allocator's blocks side by side, or null if it does not lay them so. */
  private final Neighbourhood neighbourhood;
  /** Plans room in an allocator that lays blocks side by side; null for the others. */
  private final EvictionPlanner planner;
  /** The admission policy, or null for {@link Admission#NONE}. */
  private final AdmissionPolicy admission;
  private final RecencyKeeper recency;
  @GuardedBy("WeakAlloc.lock")
  private final RecencyList order;
  private final BlockBook blocks;
  private final AllocatorCounters counters;
  private final EvictionListener evictionListener;

  /** The room a failed {@link #planInRecencyOrder} found: free bytes plus evictable blocks. */
  @GuardedBy("WeakAlloc.lock")
  private long mostRoomInRecencyOrder;
  /** The most room the last failed plan could have made, for its exception. */
  @GuardedBy("WeakAlloc.lock")
  private long lastLargestRun;

  Evictor(MemoryAllocator allocator, OwnerIds ids, AdmissionPolicy admission, RecencyKeeper recency,
      BlockBook blocks, AllocatorCounters counters, EvictionListener evictionListener) {
    this.allocator = allocator;
    this.neighbourhood = allocator instanceof Neighbourhood n ? n : null;
    this.planner = neighbourhood == null ? null : new EvictionPlanner(neighbourhood, ids);
    this.admission = admission;
    this.recency = recency;
    this.order = recency.order();
    this.blocks = blocks;
    this.counters = counters;
    this.evictionListener = evictionListener;
  }

  /**
   * Makes room for {@code size} bytes: plans first, evicts only what the plan names.
   *
   * @return the address of the new block; {@link #WAIT_FOR_PINS} if only transient pins stand in
   *     the way and {@code mayWait}; or {@code NO_ROOM}, with nothing evicted, if no room can be
   *     made ({@link #lastLargestRun} then says how much could)
   */
  @GuardedBy("WeakAlloc.lock")
  long evictToFit(long size, List<WeakRef<?>> evicted, boolean mayWait, long hash) {
    long needBytes = allocator.blockSize(size);
    WeakRef<?> oldest = order.first();
    if (oldest != null && oldest.blockBytes == needBytes && admission != null
        && oldest.pins() == 0 && !admission.admits(hash, oldest)) {
      return REFUSED;
    }
    WeakRef<?> handedOver = takeOldest(needBytes);
    if (handedOver != null) {
      evicted.add(handedOver);
      return handedOver.address;
    }
    boolean admitted = admission == null;
    while (true) {
      List<WeakRef<?>> run = plan(needBytes, EvictionPlanner.Strictness.ANY_PIN);
      if (run == null) {
        lastLargestRun = planner != null ? planner.largestRun() : mostRoomInRecencyOrder;
        boolean waitHelps =
            mayWait && plan(needBytes, EvictionPlanner.Strictness.ARC_REF_PINS) != null;
        return waitHelps ? WAIT_FOR_PINS : MemoryAllocator.NO_ROOM;
      }
      if (!admitted && !admission.admits(hash, run)) {
        return REFUSED; // decided once: a plan made again after a race does not draw again
      }
      admitted = true;
      long address = planner != null
          ? evictRun(run, size, needBytes, evicted)
          : evictInRecencyOrder(run, size, needBytes, evicted);
      if (address != MemoryAllocator.NO_ROOM) {
        return address;
      }
      blocks.releaseDeferred(); // a pin or a free raced the plan: take back what was freed, plan again
    }
  }

  /**
   * The common eviction of a full region, made without a list of victims: evicts the least
   * recently used value if its block takes exactly the bytes needed and nothing pins it, and
   * hands its block over as it is (the plan {@link #evictToFit} would make, made at once). Only
   * without admission, which must weigh the newcomer first: {@link #evictToFit} does. The caller
   * tells the listener of the returned value with {@link #notifyEvicted(WeakRef)}.
   *
   * @return the evicted value, whose address is now the new value's block ({@link
   *     BlockBook#lastBlockBytes} its size), or null if the oldest value cannot be taken so: then
   *     {@link #evictToFit} decides
   */
  @GuardedBy("WeakAlloc.lock")
  WeakRef<?> handOverOldest(long size) {
    return admission == null ? takeOldest(allocator.blockSize(size)) : null;
  }

  /**
   * The plan the planner would make, made at once: if the least recently used value's block takes
   * exactly {@code needBytes} and nothing pins it, evicts it and hands its block over. {@return the
   * evicted value, or null}
   */
  @GuardedBy("WeakAlloc.lock")
  private WeakRef<?> takeOldest(long needBytes) {
    WeakRef<?> oldest = order.first();
    if (oldest == null || oldest.blockBytes != needBytes || !oldest.tryRetireUnpinned()) {
      return null;
    }
    order.remove(oldest);
    counters.evicted(oldest);
    blocks.handOver(oldest);
    return oldest;
  }

  /**
   * Evicts the run the planner chose and allocates in the span it leaves. A value pinned or freed
   * since the plan stops it: what was evicted until then stays evicted (its blocks are free space
   * for the next plan), and the caller plans again.
   *
   * @return the new block's address, or {@code NO_ROOM} if a race stopped the eviction
   */
  @GuardedBy("WeakAlloc.lock")
  private long evictRun(List<WeakRef<?>> run, long size, long needBytes, List<WeakRef<?>> evicted) {
    WeakRef<?> only = run.size() == 1 ? run.getFirst() : null;
    if (only != null && only.blockBytes == needBytes && only.tryRetireUnpinned()) {
      recency.unlinkIfListed(only); // a neighbour in the run may be a value the write buffer holds
      recordEviction(only, evicted);
      return blocks.handOver(only); // its block, just the right size, goes to the new value as it is
    }
    for (WeakRef<?> victim : run) {
      if (!victim.tryRetireUnpinned()) {
        return MemoryAllocator.NO_ROOM;
      }
      recency.unlinkIfListed(victim);
      evict(victim, evicted);
    }
    long span = neighbourhood.lastFreedSpan();
    if (!neighbourhood.fits(span, size)) {
      return MemoryAllocator.NO_ROOM;
    }
    return blocks.allocateIn(span, size);
  }

  /** {@return the values to evict for a block of {@code needBytes}, or null: see the planners} */
  @GuardedBy("WeakAlloc.lock")
  private List<WeakRef<?>> plan(long needBytes, EvictionPlanner.Strictness strictness) {
    return planner != null
        ? planner.plan(order, needBytes, strictness)
        : planInRecencyOrder(needBytes, strictness);
  }

  /**
   * Plans for an allocator that does not lay blocks side by side: the least recently used values
   * that may be taken, until their blocks and the allocator's free bytes add up to the request.
   *
   * @return the values, oldest first, or null if all of them would not be enough
   */
  @GuardedBy("WeakAlloc.lock")
  private List<WeakRef<?>> planInRecencyOrder(long needBytes, EvictionPlanner.Strictness strictness) {
    long lacking = needBytes - Math.max(0, allocator.capacity() - allocator.allocatedBytes());
    List<WeakRef<?>> run = new ArrayList<>();
    for (WeakRef<?> ref = order.first(); ref != null && lacking > 0; ref = order.next(ref)) {
      if (strictness.mayTake(ref)) {
        run.add(ref);
        lacking -= ref.blockBytes;
      }
    }
    mostRoomInRecencyOrder = needBytes - lacking;
    return lacking > 0 ? null : run;
  }

  /**
   * Evicts the planned values oldest first, until the allocation succeeds. An inner allocator may
   * still refuse when the plan's bytes are all free (its own fragmentation, or the platform's
   * allocator failing): then it goes on in recency order, as far as it must.
   *
   * @return the new block's address, or {@code NO_ROOM} if nothing evictable is left
   */
  @GuardedBy("WeakAlloc.lock")
  private long evictInRecencyOrder(
      List<WeakRef<?>> run, long size, long needBytes, List<WeakRef<?>> evicted) {
    for (WeakRef<?> victim : run) {
      if (victim.tryRetireUnpinned()) {
        order.remove(victim);
        long address = evictAndAllocate(victim, size, needBytes, evicted);
        if (address != MemoryAllocator.NO_ROOM) {
          return address;
        }
      }
    }
    for (WeakRef<?> victim; (victim = order.pollEvictable()) != null; ) {
      long address = evictAndAllocate(victim, size, needBytes, evicted);
      if (address != MemoryAllocator.NO_ROOM) {
        return address;
      }
    }
    return MemoryAllocator.NO_ROOM;
  }

  @GuardedBy("WeakAlloc.lock")
  private long evictAndAllocate(WeakRef<?> victim, long size, long needBytes, List<WeakRef<?>> evicted) {
    if (victim.blockBytes == needBytes) {
      recordEviction(victim, evicted);
      return blocks.handOver(victim);
    }
    evict(victim, evicted);
    return blocks.allocateMeasured(size);
  }

  /** Releases a value just retired by eviction (already off the recency list). */
  @GuardedBy("WeakAlloc.lock")
  private void evict(WeakRef<?> victim, List<WeakRef<?>> evicted) {
    recordEviction(victim, evicted);
    blocks.releaseBlock(victim);
  }

  @GuardedBy("WeakAlloc.lock")
  private void recordEviction(WeakRef<?> victim, List<WeakRef<?>> evicted) {
    counters.evicted(victim);
    evicted.add(victim);
  }

  /**
   * Counts a give of {@code size} bytes that no room could be made for, and {@return the exception
   * it fails with} Under the lock, after {@link #evictToFit} returned {@code NO_ROOM}.
   */
  @GuardedBy("WeakAlloc.lock")
  RegionPinnedException noRoom(long size) {
    counters.failed(size);
    return new RegionPinnedException(
        size, allocator.capacity(), allocator.allocatedBytes(), counters.pinnedBytes(),
        transientPinnedBytes(), lastLargestRun);
  }

  /** Sums the values pinned by reads or writes in progress only (no open ArcRef); walks them all. */
  @GuardedBy("WeakAlloc.lock")
  private long transientPinnedBytes() {
    long pinned = 0;
    for (WeakRef<?> ref = order.first(); ref != null; ref = order.next(ref)) {
      if (ref.pins() > 0 && ref.arcPins() == 0) {
        pinned += ref.byteSize();
      }
    }
    return pinned;
  }

  /**
   * {@return a handle to a value admission refused: already gone, holding no block} The eviction
   * listener is told of it (the caller's {@code evicted} list), as of a value evicted at once.
   */
  @GuardedBy("WeakAlloc.lock")
  <T> WeakRef<T> refused(
      WeakAlloc owner, Codec<T> codec, Object tag, long size, long hash, List<WeakRef<?>> evicted) {
    WeakRef<T> gone = new WeakRef<>(owner, codec, tag, REFUSED, size, 0);
    gone.admissionHash = hash;
    gone.unpin(); // born pinned; not retired yet, so this releases nothing
    gone.tryRetireUnpinned(); // 0 -> RETIRED|RELEASED: upgrade fails, nothing to release
    evicted.add(gone);
    return gone;
  }

  /**
   * Tells the listener, if any, of the values in {@code evicted} (null if the give evicted
   * nothing); logs and ignores what it throws. Called without the lock, by the thread that
   * evicted, once it released the lock.
   */
  void notifyEvicted(List<WeakRef<?>> evicted) {
    if (evicted == null || evictionListener == null) {
      return;
    }
    for (WeakRef<?> ref : evicted) {
      notifyEvicted(ref);
    }
  }

  /**
   * Tells the listener, if any, of {@code ref} (null if the give evicted nothing this way); logs
   * and ignores what it throws. Called as {@link #notifyEvicted(List)} is, after {@link
   * #handOverOldest}.
   */
  void notifyEvicted(WeakRef<?> ref) {
    if (ref == null || evictionListener == null) {
      return;
    }
    try {
      evictionListener.onEviction(ref);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "eviction listener threw; ignored", e);
    }
  }
}
