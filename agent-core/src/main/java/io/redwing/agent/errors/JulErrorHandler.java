package io.redwing.agent.errors;

import io.redwing.agent.telemetry.RequestHistory;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging records of the application: at or above {@code eventLevel} a Sentry event (with
 * the record's throwable), WARNING and above a breadcrumb of the current request. The agent's own
 * (relocated) libraries' loggers are left out.
 */
final class JulErrorHandler extends Handler {
  private static final ThreadLocal<Boolean> REPORTING = new ThreadLocal<>();

  private final ErrorReporter reporter;
  private final Level eventLevel;

  JulErrorHandler(ErrorReporter reporter, Level eventLevel) {
    this.reporter = reporter;
    this.eventLevel = eventLevel;
    setLevel(Level.WARNING);
  }

  /** Adds the handler to the root logger; it stays until the application resets JUL. */
  static void install(ErrorReporter reporter, Level eventLevel) {
    uninstall();
    Logger.getLogger("").addHandler(new JulErrorHandler(reporter, eventLevel));
  }

  /** Takes the handler off the root logger again: {@code detach} does. */
  static void uninstall() {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      if (handler instanceof JulErrorHandler) {
        root.removeHandler(handler);
      }
    }
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null
        || record.getLevel().intValue() < Level.WARNING.intValue()
        || (record.getLoggerName() != null
            && record.getLoggerName().startsWith("io.redwing.shaded."))
        || REPORTING.get() != null) {
      return;
    }
    REPORTING.set(Boolean.TRUE);
    try {
      String message = message(record);
      if (record.getLevel().intValue() >= eventLevel.intValue()) {
        reporter.logged(record.getLoggerName(), message, record.getThrown());
      } else {
        RequestHistory history = RequestHistory.current();
        if (history != null) {
          history.add("log", message, false, "logger", record.getLoggerName(), "level", "warning");
        }
      }
    } catch (RuntimeException e) {
      // never fail the application's logging call
    } finally {
      REPORTING.remove();
    }
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
