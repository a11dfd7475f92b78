package dev.weakalloc.samples.region;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Serves a Prometheus registry in the text format at {@code http://127.0.0.1:<port>/metrics},
 * with the JVM's metrics bound; the demo binds every row's cache to {@link #registry()}, tagged
 * by row. Bound to the loopback address only: nothing outside the machine can scrape it.
 *
 * <p>Thread-safe. The JDK's HTTP server answers on its own thread; {@link #close()} stops it and
 * releases the port.
 */
final class MetricsServer implements AutoCloseable {
  /** The content type of the Prometheus text format, version 0.0.4. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;
  private final HttpServer server;

  private MetricsServer(PrometheusMeterRegistry registry, JvmGcMetrics gcMetrics,
      HttpServer server) {
    this.registry = registry;
    this.gcMetrics = gcMetrics;
    this.server = server;
  }

  /**
   * {@return a server started on {@code port} of the loopback address, 0 for any free port}
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  static MetricsServer start(int port) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    HttpServer server;
    try {
      server = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      gcMetrics.close();
      registry.close();
      throw new UncheckedIOException("cannot serve metrics on 127.0.0.1:" + port + ": " + e, e);
    }
    server.createContext("/metrics", exchange -> answer(exchange, registry));
    server.start();
    return new MetricsServer(registry, gcMetrics, server);
  }

  private static void answer(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** {@return the registry served} */
  MeterRegistry registry() {
    return registry;
  }

  /** {@return the port bound (the one chosen when asked for 0)} */
  int port() {
    return server.getAddress().getPort();
  }

  /** {@return the address to scrape} */
  URI uri() {
    return URI.create("http://127.0.0.1:" + port() + "/metrics");
  }

  /** Stops answering, releases the port, and closes the registry. */
  @Override
  public void close() {
    server.stop(0);
    gcMetrics.close();
    registry.close();
  }
}
