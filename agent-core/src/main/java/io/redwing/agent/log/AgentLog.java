package io.redwing.agent.log;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The agent's own log: one line per message on stderr, prefixed {@code [redwing] }. Never the
 * application's logging, which may not be configured yet or may itself be instrumented.
 */
public final class AgentLog {
  /** Levels from most to least severe. */
  public enum Level {
    ERROR,
    WARN,
    INFO,
    DEBUG
  }

  public static final String PREFIX = "[redwing] ";

  /** Bounds the memory of {@link #warnOnce}: past it, keyed warnings are simply dropped. */
  private static final int MAX_ONCE_KEYS = 1024;

  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
  private static volatile Level level = Level.INFO;
  private static volatile PrintStream out = System.err;
  private static volatile boolean json;

  private AgentLog() {}

  /** Parses error|warn|info|debug (any case); {@code null} for anything else. */
  public static Level parseLevel(String value) {
    if (value == null) {
      return null;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "error":
        return Level.ERROR;
      case "warn":
      case "warning":
        return Level.WARN;
      case "info":
        return Level.INFO;
      case "debug":
        return Level.DEBUG;
      default:
        return null;
    }
  }

  public static void setLevel(Level newLevel) {
    level = newLevel;
  }

  /** One JSON object per line instead of the prefixed text ({@code REDWING_LOGS_JSON=true}). */
  public static void setJson(boolean enabled) {
    json = enabled;
  }

  public static Level level() {
    return level;
  }

  /** Tests redirect the output to capture it. */
  public static PrintStream redirect(PrintStream stream) {
    PrintStream previous = out;
    out = stream;
    return previous;
  }

  public static boolean debugEnabled() {
    return level.compareTo(Level.DEBUG) >= 0;
  }

  public static void error(String message) {
    log(Level.ERROR, message, null);
  }

  public static void error(String message, Throwable error) {
    log(Level.ERROR, message, error);
  }

  /**
   * Warnings held until {@link #release()}: reading the settings can warn before the settings that
   * say how to log ({@code REDWING_LOGS_JSON}, {@code REDWING_LOG_LEVEL}) are known. Afterwards
   * each warning is written at once.
   */
  public static final class Held implements Consumer<String> {
    private List<String> held = new ArrayList<>();

    @Override
    public synchronized void accept(String message) {
      if (held != null) {
        held.add(message);
      } else {
        warn(message);
      }
    }

    public synchronized void release() {
      List<String> lines = held;
      held = null;
      if (lines != null) {
        lines.forEach(AgentLog::warn);
      }
    }
  }

  public static void warn(String message) {
    log(Level.WARN, message, null);
  }

  public static void warn(String message, Throwable error) {
    log(Level.WARN, message, error);
  }

  public static void info(String message) {
    log(Level.INFO, message, null);
  }

  public static void debug(String message) {
    log(Level.DEBUG, message, null);
  }

  /** Logs the first warning for {@code key} only, so a repeating fault is one line, not a flood. */
  public static void warnOnce(String key, String message, Throwable error) {
    if (WARNED.size() < MAX_ONCE_KEYS && WARNED.add(key)) {
      log(Level.WARN, message, error);
    }
  }

  public static void warnOnce(String key, String message) {
    warnOnce(key, message, null);
  }

  private static void log(Level messageLevel, String message, Throwable error) {
    if (messageLevel.compareTo(level) > 0) {
      return;
    }
    try {
      if (json) {
        out.println(jsonLine(messageLevel, message, error));
        return;
      }
      StringBuilder line = new StringBuilder(PREFIX).append(message);
      if (error != null) {
        line.append(": ").append(error);
        if (wrapsWithoutSaying(error)) {
          line.append(" (caused by ").append(rootCause(error)).append(')');
        }
        if (debugEnabled()) {
          for (StackTraceElement frame : error.getStackTrace()) {
            line.append(System.lineSeparator()).append("\tat ").append(frame);
          }
        }
      }
      out.println(line);
    } catch (RuntimeException | java.io.IOException ignored) {
      // a closed or broken stderr must never reach the application
    }
  }

  /**
   * A wrapper with no message of its own ({@code ExceptionInInitializerError}, {@code
   * InvocationTargetException}): its name alone does not say what went wrong, its cause does.
   */
  private static boolean wrapsWithoutSaying(Throwable error) {
    return error.getMessage() == null && error.getCause() != null;
  }

  /** The innermost cause, at most ten deep: a cycle of causes must not hang a log call. */
  public static String rootCause(Throwable thrown) {
    Throwable t = thrown;
    for (int depth = 0; t.getCause() != null && depth < 10; depth++) {
      t = t.getCause();
    }
    return t.toString();
  }

  static String jsonLine(Level messageLevel, String message, Throwable error)
      throws java.io.IOException {
    java.io.StringWriter text = new java.io.StringWriter();
    // the Sentry SDK's copy of Gson's streaming writer: it is in the agent jar anyway
    io.sentry.vendor.gson.stream.JsonWriter writer =
        new io.sentry.vendor.gson.stream.JsonWriter(text);
    writer.beginObject();
    writer.name("timestamp").value(java.time.Instant.now().toString());
    writer.name("level").value(messageLevel.name());
    writer.name("logger").value("redwing");
    writer.name("message").value(message);
    if (error != null) {
      writer.name("error.type").value(error.getClass().getName());
      writer.name("error.message").value(error.getMessage());
      if (wrapsWithoutSaying(error)) {
        writer.name("error.cause").value(rootCause(error));
      }
    }
    writer.endObject();
    writer.flush();
    return text.toString();
  }
}
