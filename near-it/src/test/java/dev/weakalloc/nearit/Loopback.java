package dev.weakalloc.nearit;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A Hazelcast cluster in this JVM, on 127.0.0.1 only: members on free loopback ports that join by
 * TCP/IP (multicast and auto-detection off, interfaces limited to 127.0.0.1), and clients that
 * know those addresses. Logging is off ({@code hazelcast.logging.type=none}, set by the pom).
 *
 * <p>Thread safety: not thread-safe; one test class drives it.
 */
final class Loopback implements AutoCloseable {
  private final String name;
  final List<Integer> ports = new ArrayList<>();
  final List<HazelcastInstance> members = new ArrayList<>();
  final List<HazelcastInstance> clients = new ArrayList<>();

  /** Starts {@code count} members at once on free ports, and waits until they form one cluster. */
  static Loopback start(int count) {
    Loopback cluster = new Loopback();
    for (int i = 0; i < count; i++) {
      cluster.ports.add(freePort());
    }
    List<CompletableFuture<HazelcastInstance>> starting = new ArrayList<>();
    for (int port : cluster.ports) {
      Config config = cluster.memberConfig(port);
      starting.add(CompletableFuture.supplyAsync(() -> Hazelcast.newHazelcastInstance(config)));
    }
    starting.forEach(f -> cluster.members.add(f.join()));
    return cluster;
  }

  /** Starts, one after the other, members named {@code clusterName} on {@code ports} (a client file names them). */
  static Loopback startOn(String clusterName, int... ports) {
    Loopback cluster = new Loopback(clusterName);
    for (int port : ports) {
      cluster.ports.add(port);
    }
    for (int port : ports) {
      cluster.members.add(Hazelcast.newHazelcastInstance(cluster.memberConfig(port)));
    }
    return cluster;
  }

  private Loopback() {
    this("near-it-" + UUID.randomUUID());
  }

  private Loopback(String name) {
    this.name = name;
  }

  /** {@return the cluster's name} */
  String name() {
    return name;
  }

  private Config memberConfig(int port) {
    Config config = new Config();
    config.setClusterName(name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.partition.count", "31");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int p : ports) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + p);
    }
    return config;
  }

  /** Starts a client of the cluster, connected to 127.0.0.1 only. */
  HazelcastInstance client() {
    ClientConfig config = new ClientConfig();
    config.setClusterName(name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.client.invocation.timeout.seconds", "20");
    for (int p : ports) {
      config.getNetworkConfig().addAddress("127.0.0.1:" + p);
    }
    HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
    clients.add(client);
    return client;
  }

  /**
   * {@return a loopback port free now, below Linux's ephemeral range (32768 and up)} A port the
   * kernel hands out (bind to port 0) lies in that range, where the members' own outgoing
   * connections take source ports: one took a port chosen for a member still starting, which then
   * could not bind ("Port [44869] is already in use").
   */
  static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000, 32_000);
      if (USED.add(port)) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          return socket.getLocalPort();
        } catch (IOException taken) {
          // another process has it: try another
        }
      }
    }
    throw new UncheckedIOException(new IOException("no free loopback port in 20000-31999 after 100 tries"));
  }

  /** Ports handed out by this JVM, never handed out twice. */
  private static final java.util.Set<Integer> USED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Override
  public void close() {
    clients.forEach(HazelcastInstance::shutdown);
    members.forEach(m -> {
      if (m.getLifecycleService().isRunning()) {
        m.getLifecycleService().terminate();
      }
    });
  }
}
