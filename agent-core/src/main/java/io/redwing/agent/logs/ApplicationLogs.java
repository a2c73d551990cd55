package io.redwing.agent.logs;

import io.redwing.agent.AgentThreads;
import io.redwing.agent.log.AgentLog;
import io.redwing.agent.telemetry.RequestHistory;
import io.redwing.bootstrap.LogRecords;

/**
 * Where the application's log records go, whichever library logged them (Logback, Log4j2,
 * java.util.logging): at or above the event severity a Sentry event, WARN and above a breadcrumb of
 * the current request, at or above the export severity an OpenTelemetry log record. Records of the
 * agent's own threads and libraries, and any logged while one is being handled, are ignored, so
 * nothing loops back.
 */
public final class ApplicationLogs {
  /** Where error records go (the Sentry reporter). */
  public interface Errors {
    void logged(int severity, String logger, String message, Throwable error);
  }

  /** Where exported records go (the OpenTelemetry logs pipeline). */
  public interface Export {
    void emit(int severity, String logger, String message, Throwable error);
  }

  private static final ThreadLocal<Boolean> HANDLING = new ThreadLocal<>();
  private static final String OWN_LOGGERS = "io.redwing.";

  private final Errors errors;
  private final int eventSeverity;
  private final Export export;
  private final int exportSeverity;

  /**
   * {@code errors} null or {@code eventSeverity} 0: no events (breadcrumbs still, with errors);
   * {@code export} null: nothing exported.
   */
  ApplicationLogs(Errors errors, int eventSeverity, Export export, int exportSeverity) {
    this.errors = errors;
    this.eventSeverity = eventSeverity;
    this.export = export;
    this.exportSeverity = exportSeverity;
  }

  /**
   * The records' router, with the JUL handler installed on the root logger for it; null when
   * neither Sentry nor a logs exporter wants records.
   */
  public static ApplicationLogs start(
      Errors errors, int eventSeverity, Export export, int exportSeverity) {
    if (errors == null && export == null) {
      return null;
    }
    ApplicationLogs logs = new ApplicationLogs(errors, eventSeverity, export, exportSeverity);
    JulLogHandler.install(logs, logs.lowestSeverity());
    return logs;
  }

  /** The lowest severity anything here is interested in. */
  int lowestSeverity() {
    int lowest = errors != null ? LogRecords.WARN : Integer.MAX_VALUE;
    return export != null ? Math.min(lowest, exportSeverity) : lowest;
  }

  /** One record, on the thread that logged it; never throws. */
  public void record(int severity, String logger, String message, Throwable error) {
    if (severity < lowestSeverity()
        || HANDLING.get() != null
        || (logger != null && logger.startsWith(OWN_LOGGERS))
        || AgentThreads.isAgentThread()) {
      return;
    }
    HANDLING.set(Boolean.TRUE);
    try {
      if (export != null && severity >= exportSeverity) {
        export.emit(severity, logger, message, error);
      }
      if (errors != null) {
        if (eventSeverity > 0 && severity >= eventSeverity) {
          errors.logged(severity, logger, message, error);
        }
        if (severity >= LogRecords.WARN) {
          breadcrumb(severity, logger, message);
        }
      }
    } catch (RuntimeException e) {
      AgentLog.warnOnce("application-log", "an application log record could not be handled", e);
    } finally {
      HANDLING.remove();
    }
  }

  private static void breadcrumb(int severity, String logger, String message) {
    RequestHistory history = RequestHistory.current();
    if (history != null) {
      history.add(
          "log",
          message,
          false,
          "logger",
          logger,
          "level",
          severity >= LogRecords.ERROR ? "error" : "warning");
    }
  }
}
