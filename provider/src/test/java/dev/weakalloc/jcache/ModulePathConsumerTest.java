package dev.weakalloc.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module that {@code requires dev.weakalloc.jcache}, on a module path without Micrometer, as a
 * user's application would be: it compiles, and it runs, finding the provider through {@code
 * Caching.getCachingProvider()}.
 */
class ModulePathConsumerTest {
  @TempDir Path dir;

  @Test
  void consumerModuleWithoutMicrometer_compilesAndRuns() throws Exception {
    String modulePath = Stream.of("dev.weakalloc.jcache", "dev.weakalloc.allocator", "cache.api")
        .map(ModulePathConsumerTest::location)
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(modulePath).doesNotContain("micrometer");
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("consumer"));
    Files.writeString(src.resolve("module-info.java"), "module consumer { requires dev.weakalloc.jcache; }");
    Files.writeString(src.resolve("consumer/Main.java"), """
        package consumer;

        import javax.cache.Cache;
        import javax.cache.Caching;
        import javax.cache.configuration.MutableConfiguration;

        public class Main {
          public static void main(String[] args) {
            try (var manager = Caching.getCachingProvider().getCacheManager()) {
              Cache<String, String> cache = manager.createCache("c",
                  new MutableConfiguration<String, String>().setTypes(String.class, String.class));
              cache.put("k", "v");
              System.out.println("read " + cache.get("k") + " through "
                  + Caching.getCachingProvider().getClass().getName());
            }
          }
        }
        """);
    Path out = dir.resolve("out");
    // The javac and java of the JDK running the test, as a user would run them.
    String compiled = exec(tool("javac"), "-d", out.toString(), "--module-path", modulePath,
        "-Xlint:all", "-Werror", src.resolve("module-info.java").toString(),
        src.resolve("consumer/Main.java").toString());
    assertThat(compiled).as("javac's output").isEmpty();

    String output = exec(tool("java"), "--module-path", out + File.pathSeparator + modulePath,
        "-m", "consumer/consumer.Main");
    assertThat(output).contains("read v through dev.weakalloc.jcache.spi.WeakAllocCachingProvider");
  }

  private static String tool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  /** Runs a command; {@return its output} Fails the test if it fails. */
  private static String exec(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command[0], output).isZero();
    return output;
  }

  /** {@return where the boot layer found {@code module}: a jar, or a classes directory} */
  private static String location(String module) {
    ResolvedModule resolved = ModuleLayer.boot().configuration().findModule(module).orElseThrow(
        () -> new AssertionError(module + " is not on the test's module path"));
    return Path.of(resolved.reference().location().orElseThrow()).toString();
  }
}
