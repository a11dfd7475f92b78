/**
 * Micrometer binders for the provider's caches and regions. Micrometer is an optional dependency:
 * only this package uses it, and the rest of the provider works without it.
 *
 * <table class="striped">
 * <caption>Meters (Prometheus names in brackets)</caption>
 * <thead><tr><th>meter</th><th>type</th><th>tags</th><th>what</th></tr></thead>
 * <tbody>
 * <tr><td>{@code cache.gets} [{@code cache_gets_total}]</td><td>function counter</td>
 *     <td>{@code cache, cacheManager, result=hit|miss}</td><td>lookups, as JCache counts them</td></tr>
 * <tr><td>{@code cache.puts} [{@code cache_puts_total}]</td><td>function counter</td>
 *     <td>{@code cache, cacheManager}</td><td>values stored</td></tr>
 * <tr><td>{@code cache.removals} [{@code cache_removals_total}]</td><td>function counter</td>
 *     <td>{@code cache, cacheManager}</td><td>explicit removals</td></tr>
 * <tr><td>{@code cache.evictions} [{@code cache_evictions_total}]</td><td>function counter</td>
 *     <td>{@code cache, cacheManager}</td><td>values the region evicted for room</td></tr>
 * <tr><td>{@code cache.size} [{@code cache_size}]</td><td>gauge</td>
 *     <td>{@code cache, cacheManager}</td><td>mappings (may count some not yet removed)</td></tr>
 * <tr><td>{@code weakalloc.region.capacity|committed|used|pinned} [{@code
 *     weakalloc_region_..._bytes}]</td><td>gauge, bytes</td><td>{@code cacheManager, region}</td>
 *     <td>the region's counters</td></tr>
 * <tr><td>{@code weakalloc.region.values} [{@code weakalloc_region_values}]</td><td>gauge</td>
 *     <td>{@code cacheManager, region}</td><td>live values</td></tr>
 * <tr><td>{@code weakalloc.region.evictions} [{@code weakalloc_region_evictions_total}]</td>
 *     <td>function counter</td><td>{@code cacheManager, region, cause=memory|expired|explicit}</td>
 *     <td>values that left the region: evicted for room, expired, removed</td></tr>
 * <tr><td>{@code weakalloc.region.evicted} [{@code weakalloc_region_evicted_bytes_total}]</td>
 *     <td>function counter, bytes</td><td>{@code cacheManager, region}</td>
 *     <td>bytes evicted for room</td></tr>
 * <tr><td>{@code weakalloc.region.allocations.failed} [{@code
 *     weakalloc_region_allocations_failed_total}]</td><td>function counter</td>
 *     <td>{@code cacheManager, region}</td><td>allocations that failed even after eviction</td></tr>
 * </tbody>
 * </table>
 *
 * <p>The counts come from the provider's own always-on counters, so the meters report whether or
 * not JCache statistics are enabled. Micrometer's {@code JCacheMetrics}, which reads the JCache
 * statistics MXBean, also works with this provider when statistics are enabled; it registers the
 * same {@code cache.*} names without the {@code cacheManager} tag, so bind one or the other to a
 * Prometheus registry (which wants one set of tag keys per name).
 */
package dev.weakalloc.jcache.metrics;
