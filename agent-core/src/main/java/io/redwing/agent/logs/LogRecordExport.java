package io.redwing.agent.logs;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.logs.Severity;
import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.errors.ExceptionText;
import io.redwing.agent.errors.Scrubber;
import io.redwing.bootstrap.LogRecords;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Emits application log records through the OpenTelemetry SDK's logger provider, as the OTel Java
 * agent's Logback appender does: scope = logger name, severity number and text, body = message,
 * exception attributes; the span current on the logging thread gives the trace and span ids. Text
 * is scrubbed like Sentry events are, so credentials and tokens in a message stay in the process.
 */
public final class LogRecordExport implements ApplicationLogs.Export {
  /** {@code REDWING_LOGS_EXPORT_LEVEL}: the lowest level exported. */
  public static final String LEVEL = "redwing.logs.export.level";

  /** Logger names are the application's classes; beyond this many, records share one scope. */
  static final int SCOPE_LIMIT = 1000;

  static final String OVERFLOW_SCOPE = "_overflow";
  static final AttributeKey<String> LOGGER_NAME = AttributeKey.stringKey("logger.name");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> EXCEPTION_STACKTRACE =
      AttributeKey.stringKey("exception.stacktrace");

  private static final Map<String, Integer> LEVELS =
      Map.of(
          "trace", LogRecords.TRACE,
          "debug", LogRecords.DEBUG,
          "info", LogRecords.INFO,
          "warn", LogRecords.WARN,
          "error", LogRecords.ERROR);

  private final LoggerProvider provider;
  private final Scrubber scrubber = Scrubber.DEFAULTS;
  private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

  LogRecordExport(LoggerProvider provider) {
    this.provider = provider;
  }

  /** The export to {@code provider}, or null without one (logs are not exported). */
  public static LogRecordExport to(LoggerProvider provider) {
    return provider != null ? new LogRecordExport(provider) : null;
  }

  /** The lowest exported severity from {@code REDWING_LOGS_EXPORT_LEVEL}; INFO by default. */
  public static int severity(ConfigSources sources, Consumer<String> problems) {
    String value = sources.get(LEVEL);
    if (value == null || value.isBlank()) {
      return LogRecords.INFO;
    }
    Integer severity = LEVELS.get(value.trim().toLowerCase(Locale.ROOT));
    if (severity == null) {
      problems.accept(
          sources.quoted(LEVEL, value) + " is not trace, debug, info, warn or error; using info");
      return LogRecords.INFO;
    }
    return severity;
  }

  @Override
  public void emit(int severity, String logger, String message, Throwable error) {
    String name = logger == null || logger.isEmpty() ? "ROOT" : logger;
    LogRecordBuilder record =
        logger(name)
            .logRecordBuilder()
            .setTimestamp(Instant.now())
            .setSeverity(severity(severity))
            .setSeverityText(severity(severity).name());
    if (message != null) {
      record.setBody(scrubber.text(message));
    }
    if (loggers.get(name) == null) { // folded into the overflow scope: keep the name
      record.setAttribute(LOGGER_NAME, name);
    }
    if (error != null) {
      record
          .setAttribute(EXCEPTION_TYPE, error.getClass().getName())
          .setAttribute(EXCEPTION_STACKTRACE, ExceptionText.stackTrace(error));
      String text = ExceptionText.message(error);
      if (text != null) {
        record.setAttribute(EXCEPTION_MESSAGE, text);
      }
    }
    record.emit();
  }

  private Logger logger(String name) {
    Logger logger = loggers.get(name);
    if (logger != null) {
      return logger;
    }
    // Racing threads may overshoot by a few scopes; the bound still holds within that margin.
    if (loggers.size() < SCOPE_LIMIT) {
      return loggers.computeIfAbsent(name, provider::get);
    }
    return loggers.computeIfAbsent(OVERFLOW_SCOPE, provider::get);
  }

  static Severity severity(int number) {
    switch (number) {
      case LogRecords.TRACE:
        return Severity.TRACE;
      case LogRecords.DEBUG:
        return Severity.DEBUG;
      case LogRecords.INFO:
        return Severity.INFO;
      case LogRecords.WARN:
        return Severity.WARN;
      case LogRecords.ERROR:
        return Severity.ERROR;
      case LogRecords.FATAL:
        return Severity.FATAL;
      default:
        return Severity.INFO; // the bootstrap maps every library level to one of the above
    }
  }
}
