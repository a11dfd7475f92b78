package dev.weakalloc.benchmarks.launcher;

import java.lang.reflect.InvocationTargetException;

/**
 * The main class of {@code benchmarks.jar}: on JDK 25 or newer it runs JMH's {@code Main} with the
 * arguments it was given; on an older JDK it says which JDK is needed and how to run it, where the
 * JVM would otherwise fail with an {@code UnsupportedClassVersionError}. Compiled for Java 8, so
 * that every JDK a user may have can run it.
 *
 * <p>Stateless; used once, from the main thread.
 */
public final class Launcher {
  /** The oldest Java the benchmarks run on. */
  static final int REQUIRED = 25;

  private Launcher() {}

  /** Runs JMH, or explains why not. */
  public static void main(String[] args) throws Throwable {
    String tooOld = tooOld(System.getProperty("java.specification.version"), System.getProperty("java.home"));
    if (tooOld != null) {
      System.err.println(tooOld);
      System.exit(1);
    }
    try {
      Class.forName("org.openjdk.jmh.Main").getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * {@return null if a JVM of specification version {@code version} runs the benchmarks, else the
   * message that says what to do}
   */
  static String tooOld(String version, String javaHome) {
    String major = version.startsWith("1.") ? version.substring(2) : version;
    int dot = major.indexOf('.');
    int feature = Integer.parseInt(dot < 0 ? major : major.substring(0, dot));
    if (feature >= REQUIRED) {
      return null;
    }
    return "The benchmarks need JDK " + REQUIRED + " or newer, and this is Java " + version + " ("
        + javaHome + "). Run them with a JDK " + REQUIRED + "'s java, e.g."
        + " /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar benchmarks/target/benchmarks.jar ...";
  }
}
