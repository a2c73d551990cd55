package io.redwing.agent.log;

import io.redwing.agent.config.SecretMask;
import io.redwing.agent.config.UrlCredentials;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The OpenTelemetry SDK logs through java.util.logging. Its (relocated) loggers go to the agent's
 * log instead of the application's console: warnings once per message, the rest at debug.
 */
public final class LibraryLogBridge extends Handler {
  /** JUL holds loggers weakly; this keeps the configured one alive. */
  private static volatile Logger bridged;

  /** The exporter's word for each signal ({@code span}, {@code log}) to where it is sent. */
  private static volatile Map<String, String> exportEndpoints = Map.of();

  private LibraryLogBridge() {}

  /**
   * Routes {@code loggerName} and its children here (once, even after a re-attach); never throws.
   */
  public static void install(String loggerName) {
    try {
      Logger logger = Logger.getLogger(loggerName);
      removeFrom(logger);
      logger.setUseParentHandlers(false);
      logger.addHandler(new LibraryLogBridge());
      logger.setLevel(AgentLog.debugEnabled() ? Level.FINE : Level.WARNING);
      bridged = logger;
    } catch (RuntimeException e) {
      AgentLog.warn("cannot route " + loggerName + " logging to the agent log", e);
    }
  }

  /** Where the OTLP exporters send, so that their failures can say so. */
  public static void exportsTo(Map<String, String> endpointsBySignal) {
    exportEndpoints = Map.copyOf(endpointsBySignal);
  }

  /** Follows a live change of the agent's log level. */
  public static void levelChanged() {
    Logger logger = bridged;
    if (logger != null) {
      logger.setLevel(AgentLog.debugEnabled() ? Level.FINE : Level.WARNING);
    }
  }

  /** Gives the library loggers back to java.util.logging's defaults: {@code detach} does. */
  public static void uninstall() {
    Logger logger = bridged;
    if (logger != null) {
      removeFrom(logger);
      logger.setUseParentHandlers(true);
      logger.setLevel(null);
      bridged = null;
    }
  }

  private static void removeFrom(Logger logger) {
    for (Handler handler : logger.getHandlers()) {
      if (handler instanceof LibraryLogBridge) {
        logger.removeHandler(handler);
      }
    }
  }

  static Logger bridged() {
    return bridged;
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null) {
      return;
    }
    // A library's message may quote a URL it was given, the exporter's endpoint with its
    // credentials among them.
    String message = UrlCredentials.mask(record.getMessage(), SecretMask.MASK);
    if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
      String exportFailure =
          ExportFailureLine.describe(message, record.getThrown(), exportEndpoints);
      // keyed by the first sentence: "Failed to export spans." repeats with varying details
      AgentLog.warnOnce(
          "jul:" + record.getLoggerName() + ":" + firstSentence(message),
          (exportFailure != null
                  ? UrlCredentials.mask(exportFailure, SecretMask.MASK)
                  : message + cause(record))
              + " [repeats are not logged; see the redwing_* metrics]");
    } else {
      AgentLog.debug(message + cause(record));
    }
  }

  /** The root cause, masked as the message is, in parentheses; empty without a throwable. */
  private static String cause(LogRecord record) {
    return record.getThrown() == null
        ? ""
        : " (" + UrlCredentials.mask(AgentLog.rootCause(record.getThrown()), SecretMask.MASK) + ")";
  }

  static String firstSentence(String message) {
    if (message == null) {
      return "";
    }
    int end = message.indexOf(". ");
    return end < 0 ? message : message.substring(0, end + 1);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
