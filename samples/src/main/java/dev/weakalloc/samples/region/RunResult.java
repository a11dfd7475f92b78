package dev.weakalloc.samples.region;

import java.time.Duration;

/**
 * The outcome of replaying the requests against one {@link RegionService}: a row of the table.
 *
 * @param name the service
 * @param requests the chunk requests replayed
 * @param hits the requests answered from the cache
 * @param misses the requests that read a file
 * @param evictions the values the cache evicted, -1 if unknown or not applicable
 * @param decompressions the region files decompressed
 * @param peakBytes the most bytes the cache held at once, -1 if unknown or not applicable
 * @param elapsed the wall-clock time of the replay
 */
record RunResult(String name, long requests, long hits, long misses, long evictions,
    long decompressions, long peakBytes, Duration elapsed) {}
