package dev.weakalloc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what {@link WeakAlloc} logs (through {@code System.Logger}, which java.util.logging
 * serves here) while it is open, instead of letting it reach the console: for tests that provoke a
 * warning on purpose and assert it. Records logged from any thread are kept (the Cleaner reports
 * leaked pins from its own). Not for concurrent use by two tests: it replaces the logger's
 * console output while open.
 */
final class CapturedLog implements AutoCloseable {
  // A strong reference: java.util.logging keeps loggers only weakly.
  private static final Logger LOGGER = Logger.getLogger(WeakAlloc.class.getName());

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final boolean usedParentHandlers = LOGGER.getUseParentHandlers();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  CapturedLog() {
    handler.setLevel(Level.ALL);
    LOGGER.addHandler(handler);
    LOGGER.setUseParentHandlers(false);
  }

  /** {@return the warnings logged so far, as their messages} */
  List<String> warnings() {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .map(LogRecord::getMessage)
        .toList();
  }

  /** {@return the records logged so far} */
  List<LogRecord> records() {
    return List.copyOf(records);
  }

  @Override
  public void close() {
    LOGGER.removeHandler(handler);
    LOGGER.setUseParentHandlers(usedParentHandlers);
  }
}
