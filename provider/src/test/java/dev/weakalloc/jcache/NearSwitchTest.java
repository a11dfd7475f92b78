package dev.weakalloc.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.jcache.configuration.DeclarativeConfiguration;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheLoader;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The manager-wide near cache switch ({@code weakalloc.near.*}), with this provider as the engine:
 * every cache is a near cache of the cache of its name on the engine, which gets the cache's
 * loader, expiry and statistics; expiring caches keep no near copies; destroyCache destroys the
 * backing cache.
 */
@SuppressWarnings("unchecked") // getConfiguration(CompleteConfiguration.class), a raw class
class NearSwitchTest {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final String PROVIDER = WeakAllocCachingProvider.class.getName();
  private final URI engineUri = URI.create("urn:near-switch:engine-" + SEQUENCE.incrementAndGet());
  private final CacheManager manager = managerWith(engineUri);

  private CacheManager managerWith(URI engine) {
    Properties properties = new Properties();
    properties.setProperty("weakalloc.near.backing.provider", PROVIDER);
    properties.setProperty("weakalloc.near.backing.uri", engine.toString());
    properties.setProperty("weakalloc.near.maxStaleness", "1m");
    return new WeakAllocCachingProvider().getCacheManager(
        URI.create("urn:near-switch:" + SEQUENCE.incrementAndGet()), getClass().getClassLoader(),
        properties);
  }

  /** The engine's manager: the one instance of this provider the switch made. */
  private CacheManager engine() {
    return NearCaches.providerOf(PROVIDER, getClass().getClassLoader())
        .getCacheManager(engineUri, getClass().getClassLoader());
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** A loader that loads "v-" + key and counts its calls; not serializable, this engine needs none. */
  private static final class CountingLoader implements CacheLoader<String, String> {
    static final AtomicInteger LOADS = new AtomicInteger();

    @Override
    public String load(String key) {
      LOADS.incrementAndGet();
      return "v-" + key;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> all = new java.util.HashMap<>();
      keys.forEach(k -> all.put(k, load(k)));
      return all;
    }
  }

  @Test
  void everyCacheFrontsItsNamesake_whichLoads_andTheNearTierKeepsWhatItRead() {
    Factory<CacheLoader<String, String>> loader = CountingLoader::new;
    MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setCacheLoaderFactory(loader)
        .setReadThrough(true);
    Cache<String, String> cache = manager.createCache("users", config);
    WeakAllocCache<String, String> near = cache.unwrap(WeakAllocCache.class);
    assertThat(near.isNearCache()).isTrue();
    assertThat(cache.getConfiguration(CompleteConfiguration.class).getCacheLoaderFactory())
        .as("the cache's own configuration").isSameAs(loader);

    Cache<String, String> backing = engine().getCache("users", String.class, String.class);
    assertThat(backing).as("created on the engine with the cache's name").isNotNull();
    assertThat(backing.getConfiguration(CompleteConfiguration.class).isReadThrough()).isTrue();

    int before = CountingLoader.LOADS.get();
    assertThat(cache.get("a")).isEqualTo("v-a"); // loaded by the backing cache
    // The load's created event may reach the near tier after the first fill, which then drops
    // its copy (a spurious miss, by design); a later read keeps one.
    for (int i = 0; i < 100 && near.nearStatistics().hitCount() == 0; i++) {
      assertThat(cache.get("a")).isEqualTo("v-a");
    }
    assertThat(near.nearStatistics().hitCount()).as("served near").isPositive();
    assertThat(CountingLoader.LOADS.get() - before).as("loaded once, by the backing cache").isEqualTo(1);
    assertThat(backing.get("a")).isEqualTo("v-a");

    backing.put("a", "changed"); // past the near tier: its event (asynchronous) drops the copy
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!"changed".equals(cache.get("a"))) {
      assertThat(System.nanoTime()).as("the event reaches the near tier").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void aCacheWhoseEntriesExpire_keepsNoNearCopies() {
    Cache<String, String> cache = manager.createCache("sessions", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 5))));
    WeakAllocCache<String, String> near = cache.unwrap(WeakAllocCache.class);
    cache.put("k", "v");
    assertThat(cache.get("k")).isEqualTo("v");
    assertThat(cache.get("k")).isEqualTo("v");
    assertThat(near.nearStatistics().hitCount()).as("every read asks the backing cache").isZero();
    assertThat(near.estimatedSize()).isZero();
    assertThat(engine().getCache("sessions", String.class, String.class)
        .getConfiguration(CompleteConfiguration.class).getExpiryPolicyFactory().create())
        .isInstanceOf(CreatedExpiryPolicy.class);
  }

  @Test
  void statistics_areTheBackingCachesWithTheNearHitsAdded() throws Exception {
    Cache<String, String> cache = manager.createCache("stats", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setStatisticsEnabled(true));
    cache.put("k", "v");
    assertThat(cache.get("k")).isEqualTo("v"); // near hit
    assertThat(cache.get("missing")).isNull(); // a backing miss
    ObjectName name = new ObjectName("javax.cache:type=CacheStatistics,CacheManager="
        + cache.getCacheManager().getURI().toString().replace(":", ".") + ",Cache=stats");
    var server = ManagementFactory.getPlatformMBeanServer();
    assertThat(server.getAttribute(name, "CacheHits")).isEqualTo(1L);
    assertThat(server.getAttribute(name, "CacheMisses")).isEqualTo(1L);
    assertThat(server.getAttribute(name, "CachePuts")).isEqualTo(1L);
    server.invoke(name, "clear", new Object[0], new String[0]);
    assertThat(server.getAttribute(name, "CacheHits")).isEqualTo(0L);
  }

  @Test
  void destroyCache_destroysTheBackingCacheToo_andCloseLeavesIt() {
    manager.createCache("kept", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    manager.createCache("gone", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    manager.getCache("kept").close();
    manager.destroyCache("gone");
    assertThat(engine().getCache("kept")).isNotNull();
    assertThat(engine().getCache("gone")).isNull();
  }

  @Test
  void managersOfOtherUris_withoutABackingUri_getBackingManagersOfTheirOwn() {
    var near = new DeclarativeConfiguration.NearBacking(PROVIDER, null, new Properties(), new Duration(TimeUnit.SECONDS, 1));
    URI providerDefault = URI.create("urn:ours");
    URI engineDefault = URI.create("urn:engine");
    assertThat(near.uriFor(providerDefault, providerDefault, engineDefault)).isEqualTo(engineDefault);
    assertThat(near.uriFor(URI.create("file:/etc/c.properties"), providerDefault, engineDefault))
        .isEqualTo(URI.create("urn:engine/file%3A%2Fetc%2Fc.properties"));
    var fixed = new DeclarativeConfiguration.NearBacking(PROVIDER, URI.create("urn:fixed"), new Properties(), new Duration(TimeUnit.SECONDS, 1));
    assertThat(fixed.uriFor(URI.create("urn:other"), providerDefault, engineDefault)).isEqualTo(URI.create("urn:fixed"));
  }

  /** A bad switch: its keys, and what the failure names. */
  private record BadSwitch(Map<String, String> keys, String named, String why) {}

  @Test
  void badSwitchKeys_failTheManagersCreationNamingTheKey() {
    String p = "weakalloc.near.backing.provider";
    List<BadSwitch> cases = List.of(
        new BadSwitch(Map.of("weakalloc.near.maxStaleness", "1m"), "weakalloc.near.maxStaleness=1m", p + " is needed too"),
        new BadSwitch(Map.of(p, "java.lang.String"), p + "=java.lang.String", "is not a javax.cache.spi.CachingProvider"),
        new BadSwitch(Map.of(p, PROVIDER, "weakalloc.near.other", "x"), "weakalloc.near.other=x", "unknown key"),
        new BadSwitch(Map.of(p, PROVIDER, "weakalloc.near.maxStaleness", "0s"), "weakalloc.near.maxStaleness=0s", "must not be zero"));
    for (BadSwitch bad : cases) {
      Properties properties = new Properties();
      properties.putAll(bad.keys());
      URI uri = URI.create("urn:near-switch:bad-" + SEQUENCE.incrementAndGet());
      assertThatThrownBy(() -> new WeakAllocCachingProvider().getCacheManager(uri, getClass().getClassLoader(), properties))
          .as("%s", bad.keys())
          .isInstanceOf(CacheException.class)
          .hasMessageContaining(bad.named())
          .hasMessageContaining(bad.why());
    }
  }

  /** A listener factory that fails: the near cache's creation fails registering its listener. */
  public static final class Failing implements Factory<CacheEntryListener<? super String, ? super String>> {
    private static final long serialVersionUID = 1L;

    @Override
    public CacheEntryListener<? super String, ? super String> create() {
      throw new IllegalStateException("no listener today");
    }
  }

  private static MutableConfiguration<String, String> failingToListen() {
    return new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .addCacheEntryListenerConfiguration(
            new MutableCacheEntryListenerConfiguration<>(new Failing(), null, false, false));
  }

  @Test
  void creationThatFails_destroysTheBackingCacheItCreated() {
    assertThatThrownBy(() -> manager.createCache("doomed", failingToListen()))
        .isInstanceOf(IllegalStateException.class).hasMessage("no listener today");

    assertThat(manager.getCache("doomed")).isNull();
    assertThat(engine().getCache("doomed")).as("created for the near cache, gone with it").isNull();
  }

  /** A configuration the manager refuses is refused before any engine is touched. */
  @Test
  void refusedConfiguration_createsNoBackingCache() {
    var config = new dev.weakalloc.jcache.configuration.WeakAllocConfiguration<String, String>()
        .setAdmission(dev.weakalloc.Admission.TINY_LFU); // needs a region of its own: refused
    config.setTypes(String.class, String.class);

    assertThatThrownBy(() -> manager.createCache("refused", config))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("admission");

    assertThat(engine().getCache("refused")).as("the old code created it before refusing").isNull();
  }

  @Test
  void creationThatFails_leavesABackingCacheThatExistedBefore() {
    manager.createCache("shared", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    manager.getCache("shared").close(); // the backing cache stays, as another node's would
    Cache<String, String> before = engine().getCache("shared", String.class, String.class);
    before.put("k", "v");

    assertThatThrownBy(() -> manager.createCache("shared", failingToListen()))
        .isInstanceOf(IllegalStateException.class);

    assertThat(engine().getCache("shared", String.class, String.class)).isSameAs(before);
    assertThat(before.get("k")).isEqualTo("v");
  }

  /**
   * As JVM system properties the switch applies to every manager of the provider, the near caches'
   * backing managers too: naming this provider there would make each backing cache a near cache
   * again, without end. The manager's creation fails instead, naming the property.
   */
  @Test
  void switchInTheSystemPropertiesNamingThisProvider_failsTheManagersCreationNamingTheProperty() {
    String key = "weakalloc.near.backing.provider";
    String was = System.getProperty(key);
    System.setProperty(key, PROVIDER);
    try {
      URI uri = URI.create("urn:near-switch:recursive-" + SEQUENCE.incrementAndGet());
      assertThatThrownBy(() -> new WeakAllocCachingProvider().getCacheManager(uri, getClass().getClassLoader(), new Properties()))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("the system properties")
          .hasMessageContaining(key + "=" + PROVIDER)
          .hasMessageContaining("names this provider itself");
    } finally {
      if (was == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, was);
      }
    }
  }
}
