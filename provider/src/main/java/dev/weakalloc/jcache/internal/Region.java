package dev.weakalloc.jcache.internal;

import dev.weakalloc.Admission;
import dev.weakalloc.MemoryAllocator;
import dev.weakalloc.WeakAlloc;
import dev.weakalloc.WeakAllocStats;
import dev.weakalloc.WeakRef;
import dev.weakalloc.jcache.management.CacheStatistics;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An off-heap region shared by one or more caches: a {@link WeakAlloc} plus the queue of the
 * caches' handles whose values it evicted.
 *
 * <h2>Implementation notes</h2>
 * The allocator's eviction listener runs in the thread whose {@code give} evicted, which may be
 * inside a {@code ConcurrentHashMap.compute} of any cache sharing the region. So the listener only
 * enqueues the evicted handle (a lock-free queue); {@link #drainEvictions()}, called by caches after
 * their operations and never inside a computation (see {@link ComputeGuard}), hands each handle to
 * its cache (its {@link CacheCodec} names it), which removes the mapping if it is still current and
 * counts the eviction.
 * Until then a mapping whose value was evicted reads as absent: its {@code WeakRef} no longer
 * decodes.
 *
 * <p>Thread safety: thread-safe. Memory: the region owns the {@code WeakAlloc}; {@link #close()}
 * releases all its memory.
 */
public final class Region implements AutoCloseable {
  private final WeakAlloc alloc;
  private final ConcurrentLinkedQueue<WeakRef<?>> evicted = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final CacheStatistics totals = new CacheStatistics();
  private volatile boolean closed;

  /** Creates a region of {@code capacityBytes}, storing every value given (pure LRU). */
  public Region(long capacityBytes) {
    this(capacityBytes, Admission.NONE);
  }

  /**
   * Creates a region of {@code capacityBytes} with an admission policy. A value it refuses is
   * reported by the allocator's eviction listener like an evicted one, so its entry leaves the
   * cache and counts as an eviction.
   */
  public Region(long capacityBytes, Admission admission) {
    this.alloc =
        WeakAlloc.builder(MemoryAllocator.region(capacityBytes))
            .evictionListener(this::onEviction)
            .admission(admission)
            .build();
  }

  /** {@return the allocator} */
  public WeakAlloc alloc() {
    return alloc;
  }

  /**
   * {@return a snapshot of the allocator's counters} Once the region is closed: its counts as they
   * were at close (evictions, failed allocations, refusals...), and nothing committed, used or
   * pinned, no values and no blocks, since its memory went back to the platform.
   */
  public WeakAllocStats stats() {
    WeakAllocStats s = alloc.stats();
    return closed ? holdingNothing(s) : s;
  }

  /** {@return the stats of a region of {@code capacityBytes} that holds nothing and counted nothing} */
  public static WeakAllocStats empty(long capacityBytes) {
    return new WeakAllocStats(capacityBytes, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), 0, 0, 0);
  }

  private static WeakAllocStats holdingNothing(WeakAllocStats s) {
    return new WeakAllocStats(s.capacityBytes(), 0, 0, 0, 0, 0, 0, s.evictions(),
        s.evictedBytes(), s.allocatedBytesTotal(), s.failedAllocations(), s.failedSizeHistogram(),
        s.leakedPins(), s.admissionsRefused(), 0);
  }

  /**
   * {@return the counts of every cache that stores in this region, since the region was created}
   * Each cache's {@link CacheStatistics} joins it while the cache is open and carries its counts
   * into it when closed; only the always-on totals ({@code hitCount()} ...) are meaningful, as the
   * region's JCache view is never enabled.
   */
  public CacheStatistics totals() {
    return totals;
  }

  private void onEviction(WeakRef<?> ref) {
    if (ref.codec() instanceof CacheCodec<?>) { // a cache's value, not a raw give's
      evicted.add(ref);
    }
  }

  /**
   * Hands queued evictions to their caches. Does nothing when called inside a map computation or
   * while another thread drains.
   */
  public void drainEvictions() {
    if (evicted.isEmpty() || ComputeGuard.inside() || !draining.compareAndSet(false, true)) {
      return;
    }
    try {
      WeakRef<?> ref;
      while ((ref = evicted.poll()) != null) {
        ((CacheCodec<?>) ref.codec()).cache().onRegionEviction(ref);
      }
    } finally {
      draining.set(false);
    }
  }

  /** {@return whether evictions wait to be drained} */
  public boolean hasPendingEvictions() {
    return !evicted.isEmpty();
  }

  /** {@return whether {@link #close()} was called} */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
    evicted.clear();
    alloc.close();
  }
}
