package io.redwing.agent.logs;

import io.redwing.agent.log.AgentLog;
import io.redwing.bootstrap.LogRecords;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging records of the application, handed to {@link ApplicationLogs} like Logback's
 * and Log4j2's: a handler on the root logger, since the JDK's logging is never instrumented. When
 * the application bridges JUL into Logback or Log4j2 (a bridge handler on the root logger), the
 * record is left to the bridge: the library's own hook sees it there, so it is handled once.
 */
public final class JulLogHandler extends Handler {
  /** Bridge handlers, and a class each needs beside it for its target library to be hooked. */
  private static final Map<String, List<String>> BRIDGES =
      Map.of(
          "org.slf4j.bridge.SLF4JBridgeHandler",
          List.of(
              "ch.qos.logback.classic.Logger", "org.apache.logging.log4j.core.config.LoggerConfig"),
          "org.apache.logging.log4j.jul.Log4jBridgeHandler",
          List.of("org.apache.logging.log4j.core.config.LoggerConfig"));

  /** Per handler class: whether it carries records into a library the agent hooks. */
  private static final ClassValue<Boolean> HOOKED_BRIDGE =
      new ClassValue<Boolean>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          List<String> targets = BRIDGES.get(type.getName());
          if (targets == null) {
            return false;
          }
          for (String target : targets) {
            try {
              Class.forName(target, false, type.getClassLoader());
              return true;
            } catch (ClassNotFoundException | LinkageError e) {
              // not this library: the bridge may log into the other one
            }
          }
          return false;
        }
      };

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
    // JUL's Logger.log does not catch what a handler throws: whatever goes wrong here, a
    // parameter's toString included, must not come out of the application's log call.
    try {
      if (record == null || !isLoggable(record) || bridged()) {
        return;
      }
      logs.record(
          severity(record.getLevel()), record.getLoggerName(), message(record), record.getThrown());
    } catch (Throwable t) {
      AgentLog.warnOnce("jul-handler", "a java.util.logging record could not be taken", t);
    }
  }

  /** Whether a handler on the root logger also passes records on to a hooked library. */
  private static boolean bridged() {
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      if (HOOKED_BRIDGE.get(handler.getClass())) {
        return true;
      }
    }
    return false;
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
    } catch (RuntimeException e) {
      // a bad pattern, or a parameter whose toString throws (a lazy entity proxy, say)
      return message;
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
