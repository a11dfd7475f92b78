package dev.weakalloc.internal;

import java.lang.reflect.Method;
import java.util.Arrays;
import kotlin.Unit;
import kotlin.reflect.KFunction;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.CustomScenarioDSLKt;

/**
 * Builds Lincheck scenarios from Java: exactly the operations named, each list in its own thread,
 * rather than Lincheck's random choice (which may put every operation of interest in one thread).
 */
public final class LincheckScenarios {
  private LincheckScenarios() {}

  /**
   * {@return the factor by which to multiply the invocations per scenario} From the system
   * property {@code lincheck.scale}, 1 by default: {@code -Dlincheck.scale=20} explores 20 times
   * as many interleavings.
   */
  public static int scale() {
    return Math.max(1, Integer.getInteger("lincheck.scale", 1));
  }

  /** {@return a scenario that runs each array of {@code test}'s operations in its own thread} */
  public static ExecutionScenario parallel(Class<?> test, String[]... threads) {
    return CustomScenarioDSLKt.scenario(builder -> {
      builder.parallel(parallel -> {
        for (String[] operations : threads) {
          parallel.thread(thread -> {
            for (String operation : operations) {
              thread.actor(operation(test, operation));
            }
            return Unit.INSTANCE;
          });
        }
        return Unit.INSTANCE;
      });
      return Unit.INSTANCE;
    });
  }

  private static KFunction<?> operation(Class<?> test, String name) {
    Method method = Arrays.stream(test.getMethods())
        .filter(m -> m.getName().equals(name) && m.getParameterCount() == 0)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no operation " + name + " in " + test));
    return ReflectJvmMapping.getKotlinFunction(method);
  }
}
