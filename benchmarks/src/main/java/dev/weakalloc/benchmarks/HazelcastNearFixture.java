package dev.weakalloc.benchmarks;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.CacheSimpleConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.configuration.WeakAllocConfiguration;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Properties;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.Duration;

/**
 * A one-member Hazelcast cluster and a client, on 127.0.0.1 only, with a near cache of this
 * provider in front of the client's cache: the fixture of {@link NearCacheBenchmark} and {@link
 * NearHitRatio}. Hazelcast's logging is turned off here.
 *
 * <p>Thread safety: the caches are thread-safe; setting up and closing are not.
 */
final class HazelcastNearFixture implements AutoCloseable {
  static final String CLIENT_PROVIDER = "com.hazelcast.client.cache.HazelcastClientCachingProvider";

  final HazelcastInstance member;
  final HazelcastInstance client;
  /** The client's cache: every get a round trip to the member over loopback. */
  final Cache<Integer, byte[]> backing;
  /** The near cache in front of {@link #backing}. */
  final WeakAllocCache<Integer, byte[]> near;
  private final CacheManager nearManager;

  /** Starts the member and client, and a near cache whose region holds {@code budgetBytes}. */
  HazelcastNearFixture(String name, long budgetBytes) {
    System.setProperty("hazelcast.logging.type", "none");
    System.setProperty("hazelcast.phone.home.enabled", "false");
    String cluster = "near-bench-" + UUID.randomUUID();
    int port = freePort();
    Config config = new Config().setClusterName(cluster);
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    // Declared on the member, so that the client's getCache finds it: a cache created through
    // JCache with Hazelcast's defaults evicts past 10,000 entries per member.
    config.addCacheConfig(new CacheSimpleConfig().setName(name).setEvictionConfig(
        new EvictionConfig().setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT).setSize(Integer.MAX_VALUE)));
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(false)
        .getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
    member = Hazelcast.newHazelcastInstance(config);
    ClientConfig clientConfig = new ClientConfig().setClusterName(cluster);
    clientConfig.getNetworkConfig().addAddress("127.0.0.1:" + port);
    client = HazelcastClient.newHazelcastClient(clientConfig);

    var near = new WeakAllocConfiguration<Integer, byte[]>()
        .setBackingCache(CLIENT_PROVIDER, null, name)
        .setBackingProperties(HazelcastCachingProvider.propertiesByInstanceItself(client))
        .setMaxStaleness(Duration.ETERNAL);
    near.setTypes(Integer.class, byte[].class);
    Properties properties = new Properties();
    properties.setProperty("weakalloc.region.capacity", Long.toString(budgetBytes));
    nearManager = new WeakAllocCachingProvider().getCacheManager(
        URI.create("near-bench-" + name), HazelcastNearFixture.class.getClassLoader(), properties);
    @SuppressWarnings("unchecked")
    WeakAllocCache<Integer, byte[]> cache = nearManager.createCache(name, near).unwrap(WeakAllocCache.class);
    this.near = cache;
    CacheManager clientManager = Caching.getCachingProvider(CLIENT_PROVIDER).getCacheManager(
        null, null, HazelcastCachingProvider.propertiesByInstanceItself(client));
    Cache<Integer, byte[]> existing = clientManager.getCache(name);
    backing = existing != null ? existing : clientManager.createCache(name,
        new MutableConfiguration<Integer, byte[]>().setTypes(Integer.class, byte[].class));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    nearManager.close();
    Caching.getCachingProvider(CLIENT_PROVIDER).close();
    client.shutdown();
    member.getLifecycleService().terminate();
  }
}
