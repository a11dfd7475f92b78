package dev.weakalloc.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.cache.CacheManager;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code properties} example a user may copy, as it is: each {@code ```properties} block of
 * the READMEs and the configuration file example in {@link DeclarativeConfiguration}'s javadoc.
 * A block of {@code weakalloc.} keys is written to a file and loaded by a manager, which must
 * create every cache it names; a Spring Boot block must name this provider.
 */
class DocumentedPropertiesTest {
  private static final Path ROOT_README = Path.of("..", "README.md");
  private static final Path PROVIDER_README = Path.of("README.md");
  private static final Path JAVADOC =
      Path.of("src", "main", "java", "dev", "weakalloc", "jcache", "configuration", "DeclarativeConfiguration.java");

  @TempDir Path dir;

  /** A documented block: where it is and its text. */
  record Block(String where, String text) {
    @Override
    public String toString() {
      return where;
    }
  }

  static Stream<Block> blocks() throws IOException {
    List<Block> blocks = new ArrayList<>();
    for (Path readme : List.of(ROOT_README, PROVIDER_README)) {
      Matcher m = Pattern.compile("```properties\\n(.*?)\\n```", Pattern.DOTALL).matcher(Files.readString(readme));
      for (int i = 1; m.find(); i++) {
        blocks.add(new Block(readme + " block " + i, m.group(1)));
      }
    }
    Matcher m = Pattern.compile("<pre>\\{@code\\n(.*?)\\n \\* }</pre>", Pattern.DOTALL).matcher(Files.readString(JAVADOC));
    assertThat(m.find()).as("the javadoc example").isTrue();
    blocks.add(new Block(JAVADOC.getFileName() + " javadoc", m.group(1).replaceAll("(?m)^ \\* ?", "")));
    return blocks.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blocks")
  void documentedBlock_loadsAsItIs(Block block) throws Exception {
    Properties properties = new Properties();
    properties.load(new StringReader(block.text()));
    assertThat(properties).as("%s has keys", block).isNotEmpty();
    for (String key : properties.stringPropertyNames()) {
      assertThat(properties.getProperty(key)).as("%s: %s has no trailing comment", block, key).doesNotContain("#");
    }
    if (properties.containsKey("spring.cache.jcache.provider")) {
      Class<?> provider = Class.forName(properties.getProperty("spring.cache.jcache.provider"));
      assertThat(provider).isEqualTo(WeakAllocCachingProvider.class);
      assertThat(CachingProvider.class).isAssignableFrom(provider);
      return;
    }
    for (String key : properties.stringPropertyNames()) {
      if (key.endsWith(".backingProvider") || key.equals("weakalloc.near.backing.provider")) {
        String engine = properties.getProperty(key);
        Assumptions.assumeTrue(isLoadable(engine), block + " names " + engine + ", not on this"
            + " module's class path: near-it's DocumentedNearCacheTest runs it against Hazelcast");
      }
    }
    Path file = dir.resolve("documented.properties");
    Files.writeString(file, block.text());
    try (CacheManager manager = new WeakAllocCachingProvider()
        .getCacheManager(file.toUri(), getClass().getClassLoader(), new Properties())) {
      for (String name : cacheNames(properties)) {
        assertThat(manager.getCache(name)).as("%s: cache %s", block, name).isNotNull();
      }
    }
  }

  private static boolean isLoadable(String className) {
    try {
      Class.forName(className);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** {@return the names in the {@code weakalloc.cache.<name>.<key>} keys} */
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
