package dev.weakalloc.samples.region;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.jcache.metrics.WeakAllocCacheMetrics;
import dev.weakalloc.jcache.metrics.WeakAllocRegionMetrics;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.cache.Cache;
import org.junit.jupiter.api.Test;

/** The demo's Prometheus endpoint, scraped over loopback. */
class MetricsServerTest {
  private final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<String> get(MetricsServer server, String method) throws Exception {
    return client.send(HttpRequest.newBuilder(server.uri()).method(method,
        HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void scrape_servesCacheRegionAndJvmMetrics_inPrometheusTextFormat() throws Exception {
    Cache<RegionPos, byte[]> cache = RegionCaches.open(2 << 20);
    try (MetricsServer server = MetricsServer.start(0)) {
      WeakAllocCacheMetrics.monitor(server.registry(), cache);
      WeakAllocRegionMetrics.monitor(server.registry(), cache.getCacheManager());
      cache.put(new RegionPos(0, 0), new byte[1000]);
      cache.get(new RegionPos(0, 0));
      cache.get(new RegionPos(0, 1));

      HttpResponse<String> response = get(server, "GET");

      assertThat(server.port()).isPositive();
      assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsServer.CONTENT_TYPE);
      assertThat(response.body())
          .containsPattern("(?m)^cache_gets_total\\{.*cache=\"regions\".*result=\"hit\".*} 1\\.0$")
          .containsPattern("(?m)^cache_gets_total\\{.*result=\"miss\".*} 1\\.0$")
          .containsPattern("(?m)^cache_puts_total\\{.*} 1\\.0$")
          .contains("cache_size{", "cache_evictions_total{", "cache_removals_total{")
          .containsPattern("(?m)^weakalloc_region_capacity_bytes\\{.*region=\"shared\".*} 2097152\\.0$")
          .containsPattern("(?m)^weakalloc_region_values\\{.*} 1\\.0$")
          .contains("weakalloc_region_used_bytes{", "weakalloc_region_evictions_total{",
              "cause=\"memory\"", "cause=\"expired\"", "cause=\"explicit\"",
              "weakalloc_region_allocations_failed_total{")
          .contains("jvm_memory_used_bytes{", "jvm_threads_live_threads", "process_uptime_seconds");
    } finally {
      RegionCaches.close(cache);
    }
  }

  @Test
  void otherMethods_are405_andClose_releasesThePort() throws Exception {
    MetricsServer server = MetricsServer.start(0);
    try {
      assertThat(get(server, "POST").statusCode()).isEqualTo(405);
      assertThat(get(server, "HEAD").statusCode()).isEqualTo(200);
    } finally {
      server.close();
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> get(server, "GET"))
        .isInstanceOf(ConnectException.class);
  }
}
