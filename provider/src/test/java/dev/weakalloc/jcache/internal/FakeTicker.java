package dev.weakalloc.jcache.internal;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/** A clock for tests: stands still until {@link #advance} moves it. Thread-safe. */
public final class FakeTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong();

  @Override
  public long nanos() {
    return nanos.get();
  }

  /** Moves the clock forward by {@code duration}. */
  public void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  /** {@return {@code properties}, carrying this ticker to the manager they create} */
  public Properties into(Properties properties) {
    properties.put(Ticker.class.getName(), this);
    return properties;
  }
}
