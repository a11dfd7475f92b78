package dev.weakalloc.samples.region;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replays a list of chunk requests against a {@link RegionService} from several threads, each
 * taking the next request in order, and measures it. A miss is a request that had to read a file,
 * so misses are the service's decompressions.
 *
 * <p>Stateless; thread-safe.
 */
final class Replay {
  private Replay() {}

  /**
   * {@return the row of {@code service}}
   *
   * @throws ChunkLoadException if a region file cannot be read
   */
  static RunResult run(RegionService service, AccessPattern.Request[] requests, int threads,
      ProgressBar progress) throws ChunkLoadException {
    long start = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Void>> workers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        workers.add(pool.submit(() -> work(service, requests, next, progress)));
      }
      for (Future<Void> worker : workers) {
        await(worker);
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    progress.finish();
    long misses = service.files().decompressions();
    return new RunResult(service.name(), requests.length, requests.length - misses, misses,
        service.evictions(), misses, service.peakBytes(), elapsed);
  }

  private static Void work(RegionService service, AccessPattern.Request[] requests,
      AtomicInteger next, ProgressBar progress) throws ChunkLoadException {
    for (int i = next.getAndIncrement(); i < requests.length; i = next.getAndIncrement()) {
      service.chunk(requests[i].region(), requests[i].chunkIndex());
      progress.step();
    }
    return null;
  }

  private static void await(Future<Void> worker) throws ChunkLoadException {
    try {
      worker.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ChunkLoadException failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
