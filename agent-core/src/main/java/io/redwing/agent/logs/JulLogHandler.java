package io.redwing.agent.logs;

import io.redwing.bootstrap.LogRecords;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging records of the application, handed to {@link ApplicationLogs} like Logback's
 * and Log4j2's: a handler on the root logger, since the JDK's logging is never instrumented.
 */
public final class JulLogHandler extends Handler {
  private final ApplicationLogs logs;

  JulLogHandler(ApplicationLogs logs, Level level) {
    this.logs = logs;
    setLevel(level);
  }

  /** Adds the handler to the root logger; it stays until the application resets JUL. */
  static void install(ApplicationLogs logs, int lowestSeverity) {
    uninstall();
    Logger.getLogger("").addHandler(new JulLogHandler(logs, level(lowestSeverity)));
  }

  /** Takes the handler off the root logger again: {@code detach} does. */
  public static void uninstall() {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      if (handler instanceof JulLogHandler) {
        root.removeHandler(handler);
      }
    }
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null || !isLoggable(record)) {
      return;
    }
    logs.record(
        severity(record.getLevel()), record.getLoggerName(), message(record), record.getThrown());
  }

  static int severity(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return LogRecords.ERROR;
    }
    if (value >= Level.WARNING.intValue()) {
      return LogRecords.WARN;
    }
    if (value >= Level.INFO.intValue()) {
      return LogRecords.INFO;
    }
    return value >= Level.FINE.intValue() ? LogRecords.DEBUG : LogRecords.TRACE;
  }

  private static Level level(int severity) {
    if (severity >= LogRecords.ERROR) {
      return Level.SEVERE;
    }
    if (severity >= LogRecords.WARN) {
      return Level.WARNING;
    }
    return severity >= LogRecords.INFO ? Level.INFO : Level.FINE;
  }

  private static String message(LogRecord record) {
    String message = record.getMessage();
    Object[] parameters = record.getParameters();
    if (message == null || parameters == null || parameters.length == 0) {
      return message;
    }
    try {
      return java.text.MessageFormat.format(message, parameters);
    } catch (IllegalArgumentException e) {
      return message;
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
