package dev.weakalloc.nearit;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.cache.HazelcastMemberCachingProvider;
import dev.weakalloc.jcache.WeakAllocCache;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;

/**
 * provider/README.md's near cache configuration blocks (those that name a {@code backingProvider}
 * or {@code weakalloc.near.backing.provider}) as they are: written to a file, loaded by a manager of this provider, which must reach the
 * Hazelcast cluster the client file {@code hazelcast-client.yaml} names (started here on
 * 127.0.0.1:15771), create every cache the block names, and serve through it a value a member
 * (or, for the manager-wide switch, the backing cache through the client) wrote. The provider's own DocumentedPropertiesTest skips these blocks: Hazelcast is not on its
 * class path.
 */
class DocumentedNearCacheTest {
  private static final Path README = Path.of("..", "provider", "README.md");
  private static final String CLIENT_PROVIDER = "com.hazelcast.client.cache.HazelcastClientCachingProvider";

  static List<String> nearBlocks() throws Exception {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```properties\\n(.*?)\\n```", Pattern.DOTALL).matcher(Files.readString(README));
    while (m.find()) {
      if (m.group(1).contains(".backingProvider=") || m.group(1).contains("weakalloc.near.backing.provider=")) {
        blocks.add(m.group(1));
      }
    }
    return blocks;
  }

  @Test
  void readmeNearCacheBlocks_loadAsTheyAre_andServeTheClustersValues(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    List<String> blocks = nearBlocks();
    assertThat(blocks).as("provider/README.md has a near cache block").isNotEmpty();
    try (Loopback cluster = Loopback.startOn("near-it-readme", 15771)) {
      for (String block : blocks) {
        Properties properties = new Properties();
        properties.load(new StringReader(block));
        Path file = dir.resolve("near.properties");
        Files.writeString(file, block);
        try (CacheManager manager = new WeakAllocCachingProvider()
            .getCacheManager(file.toUri(), getClass().getClassLoader(), new Properties())) {
          for (String name : cacheNames(properties)) {
            Cache<Object, Object> near = manager.getCache(name);
            assertThat(near).as("cache %s", name).isNotNull();
            assertThat(near.unwrap(WeakAllocCache.class).isNearCache()).isTrue();
            if (properties.containsKey("weakalloc.near.backing.provider")) {
              // the manager-wide switch: the backing cache has the cache's name, in a backing
              // manager of the near manager's own; write to it through the client, past the near tier
              @SuppressWarnings("unchecked")
              Cache<Object, Object> backing = near.unwrap(com.hazelcast.cache.ICache.class);
              assertThat(backing.getName()).isEqualTo(name);
              assertThat(near.get("written-past-the-near-tier")).isNull();
              backing.put("written-past-the-near-tier", "43");
              assertThat(near.get("written-past-the-near-tier")).isEqualTo("43");
              continue;
            }
            String backingName = properties.getProperty("weakalloc.cache." + name + ".backingCache");
            Cache<Object, Object> onMember = new HazelcastMemberCachingProvider()
                .getCacheManager(null, getClass().getClassLoader(),
                    HazelcastCachingProvider.propertiesByInstanceItself(cluster.members.get(0)))
                .getCache(backingName);
            assertThat(onMember).as("the near cache created %s on the cluster", backingName).isNotNull();
            onMember.put("written-on-a-member", "42");
            assertThat(near.get("written-on-a-member")).isEqualTo("42");
          }
        } finally {
          Caching.getCachingProvider(CLIENT_PROVIDER).close();
        }
      }
    }
  }

  private static TreeSet<String> cacheNames(Properties properties) {
    TreeSet<String> names = new TreeSet<>();
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith("weakalloc.cache.")) {
        names.add(key.substring("weakalloc.cache.".length(), key.lastIndexOf('.')));
      }
    }
    return names;
  }
}
