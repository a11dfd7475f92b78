/**
 * JMH benchmarks of the weak allocator, side by side with Caffeine: hits ({@link
 * dev.weakalloc.benchmarks.HitBenchmark}), gives under constant eviction ({@link
 * dev.weakalloc.benchmarks.GiveBenchmark}) and the hit ratio of the approximate LRU against an
 * exact LRU ({@link dev.weakalloc.benchmarks.HitRatioBenchmark}, {@link
 * dev.weakalloc.benchmarks.HitRatio}).
 *
 * <p>Every workload (keys, value sizes, Zipf streams) is precomputed from a fixed seed in
 * {@code @Setup}, so no random number generator runs in measured code and both sides of a
 * comparison see the same inputs. Caffeine caches are built with {@code executor(Runnable::run)}
 * so that, like the weak allocator, they do their maintenance (buffer drains, eviction) on the
 * calling thread, where JMH measures it.
 */
package dev.weakalloc.benchmarks;
