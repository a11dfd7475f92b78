package dev.weakalloc.samples.region;

import java.util.concurrent.Executor;

/** Runs Caffeine's maintenance in the calling thread, for the JCache stand-in (application.conf). */
public final class CallerRunsExecutor implements Executor {
  @Override
  public void execute(Runnable command) {
    command.run();
  }
}
