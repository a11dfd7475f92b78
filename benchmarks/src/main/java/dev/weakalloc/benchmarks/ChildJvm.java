package dev.weakalloc.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a main class of this jar in a child JVM of the same JDK and class path, with JVM flags of
 * its own (a heap size, GC logging), and returns what it printed: so that a benchmark main can
 * measure each configuration in a fresh process, whose heap, GC history and {@code malloc} state
 * owe nothing to the others.
 *
 * <p>Thread safety: stateless; each call runs one child and waits for it.
 */
final class ChildJvm {
  private ChildJvm() {}

  /**
   * Runs {@code mainClass} with {@code jvmFlags} and {@code args}; its standard error goes to this
   * process's.
   *
   * @return the lines it printed on standard output
   * @throws IllegalStateException if it exits with a status other than 0
   */
  static List<String> run(List<String> jvmFlags, Class<?> mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = process.waitFor();
      if (status != 0) {
        throw new IllegalStateException("child JVM exited with " + status + ": " + String.join(" ", command)
            + "\n" + out);
      }
      return out.lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + mainClass.getName(), e);
    }
  }
}
