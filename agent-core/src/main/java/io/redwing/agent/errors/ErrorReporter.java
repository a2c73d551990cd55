package io.redwing.agent.errors;

import io.redwing.agent.log.AgentLog;
import io.redwing.agent.logs.ApplicationLogs;
import io.redwing.agent.telemetry.RequestErrors;
import io.redwing.agent.telemetry.RequestHistory;
import io.redwing.agent.telemetry.ServerFailure;
import io.redwing.bootstrap.Causes;
import io.redwing.bootstrap.ClientDisconnects;
import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.LogRecords;
import io.sentry.Breadcrumb;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;
import io.sentry.SpanContext;
import io.sentry.SpanId;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Sends server requests that end with an exception to Sentry through the official SDK (relocated,
 * so an application's own Sentry is untouched): one scrubbed event per distinct error, with the
 * request's facts, its trace ids and its history as breadcrumbs. The SDK sends off the request
 * thread from a bounded queue; a receiver that is down, slow or answering 429 costs requests
 * nothing.
 */
public final class ErrorReporter implements RequestErrors, ApplicationLogs.Errors {
  private final SentrySettings settings;
  private final Scrubber scrubber;
  private final EventBudget budget;
  private final String serviceName;

  /**
   * Exceptions that recently ended requests, by identity and weakly: the container logs them again
   * after the request (Tomcat's "Servlet.service() ... threw exception"), which is not a new error.
   */
  private final Map<Throwable, Boolean> recentFailures =
      Collections.synchronizedMap(new WeakHashMap<>());

  private static final int RECENT_FAILURES = 64;

  ErrorReporter(SentrySettings settings, Scrubber scrubber, EventBudget budget, String service) {
    this.settings = settings;
    this.scrubber = scrubber;
    this.budget = budget;
    this.serviceName = service;
  }

  /**
   * Initialises the SDK, or returns null when no DSN is set or it is malformed (one line then).
   * Runs on the agent's init thread, never on premain's.
   */
  public static ErrorReporter start(SentrySettings settings, String serviceName, String version) {
    if (!settings.enabled()) {
      return null;
    }
    Scrubber scrubber = new Scrubber(settings.extraKeys, settings.extraHeaders);
    SentryOptions options = options(settings, scrubber, serviceName, version);
    try {
      // validates the DSN first and throws on a malformed one
      Sentry.init(options);
    } catch (RuntimeException e) {
      AgentLog.warn(
          "SENTRY_DSN=\""
              + scrubber.text(settings.dsn)
              + "\" is not a valid Sentry DSN ("
              // the parser's message repeats the DSN, key included
              + scrubber.text(String.valueOf(e.getMessage()).replace(settings.dsn, "the DSN"))
              + "); expected https://<key>@<host>/<project>; errors are not sent to Sentry");
      return null;
    }
    AgentLog.info("errors go to Sentry at " + where(settings, scrubber));
    ErrorReporter reporter =
        new ErrorReporter(
            settings,
            scrubber,
            new EventBudget(settings.eventsPerMinute, System::currentTimeMillis),
            serviceName);
    return reporter;
  }

  /** Flushes what is queued and stops the SDK and its thread: {@code detach} does. */
  public void close() {
    Sentry.close();
  }

  /** The DSN without its key. */
  private static String where(SentrySettings settings, Scrubber scrubber) {
    return scrubber.text(settings.dsn).replace(Scrubber.FILTERED + "@", "");
  }

  static SentryOptions options(
      SentrySettings settings, Scrubber scrubber, String serviceName, String version) {
    SentryOptions options = new SentryOptions();
    options.setDsn(settings.dsn);
    options.setEnvironment(settings.environment);
    options.setRelease(settings.release);
    options.setSampleRate(settings.sampleRate);
    options.setServerName(settings.serverName);
    // the host name lookup may block; the service name is a tag instead
    options.setAttachServerName(settings.serverName != null);
    options.setMaxQueueSize(settings.maxQueueSize);
    options.setMaxBreadcrumbs(settings.maxBreadcrumbs);
    options.setDebug(settings.debug);
    options.setSendDefaultPii(false);
    options.setSendModules(false);
    options.setAttachStacktrace(false);
    options.setEnableUncaughtExceptionHandler(false);
    options.setEnableExternalConfiguration(false);
    // no thread-local scopes in the application's threads
    options.setGlobalHubMode(true);
    options.setShutdownTimeoutMillis(1_000);
    options.setFlushTimeoutMillis(1_000);
    options.setConnectionTimeoutMillis(2_000);
    options.setReadTimeoutMillis(2_000);
    options.setSentryClientName("redwing-java-agent/" + version);
    SentryLogBridge bridge = new SentryLogBridge(where(settings, scrubber));
    options.setFatalLogger(bridge);
    // The SDK logs only in debug mode, and it is its log that says an event was not delivered:
    // debug on, its errors only, unless SENTRY_DEBUG asks for everything.
    options.setDebug(true);
    options.setDiagnosticLevel(settings.debug ? SentryLevel.DEBUG : SentryLevel.ERROR);
    options.setLogger(bridge);
    options.setBeforeSend((event, hint) -> scrubber.scrub(ExceptionText.redactStatements(event)));
    return options;
  }

  @Override
  public RequestHistory startRequest(HttpServerRequest request, String redactedQuery) {
    return new RequestHistory(request, redactedQuery, settings.maxBreadcrumbs);
  }

  @Override
  public void serverFailed(ServerFailure failure) {
    try {
      String route = failure.route == null || failure.route.isEmpty() ? "" : failure.route;
      // a record that logged the very exception the request failed with is already in this
      // event, as a breadcrumb: it is not sent again on its own
      for (Object item : failure.deferred) {
        LoggedError logged = (LoggedError) item;
        if (!sameFailure(logged.error, failure.error)) {
          send(logged.event, logged.fingerprint);
        }
      }
      remember(failure.error);
      if (ClientDisconnects.isDisconnect(failure.error)) {
        return;
      }
      if (!budget.admit(EventBudget.fingerprint(failure.error, route))) {
        return;
      }
      Sentry.captureEvent(event(failure));
    } catch (Throwable t) {
      AgentLog.warnOnce("sentry-capture", "an error could not be reported to Sentry", t);
    }
  }

  @Override
  public void requestEnded(RequestHistory history) {
    for (Object item : history.takeDeferred()) {
      LoggedError logged = (LoggedError) item;
      send(logged.event, logged.fingerprint);
    }
  }

  /**
   * A log record of the application at or above the event level: one event with its message, logger
   * and throwable, linked to the current span and carrying the current request's history. Inside a
   * request, a record with a throwable waits for the request's end: if the request fails with that
   * same exception, its event is the request's.
   */
  @Override
  public void logged(int severity, String logger, String message, Throwable error) {
    try {
      if (error != null && alreadyReported(error)) {
        return;
      }
      String fingerprint =
          error != null ? EventBudget.fingerprint(error, "") : logger + "|" + message;
      SentryEvent event = logEvent(severity, logger, message, error);
      RequestHistory history = RequestHistory.current();
      if (error == null
          || history == null
          || !history.defer(new LoggedError(event, error, fingerprint))) {
        send(event, fingerprint);
      }
    } catch (Throwable t) {
      AgentLog.warnOnce("sentry-log", "a log record could not be reported to Sentry", t);
    }
  }

  SentryEvent logEvent(int severity, String logger, String message, Throwable error) {
    SentryEvent event = new SentryEvent(error);
    event.setLevel(
        severity >= LogRecords.FATAL
            ? SentryLevel.FATAL
            : severity >= LogRecords.ERROR ? SentryLevel.ERROR : SentryLevel.WARNING);
    event.setLogger(logger);
    io.sentry.protocol.Message text = new io.sentry.protocol.Message();
    text.setFormatted(message);
    event.setMessage(text);
    if (serviceName != null) {
      event.setTag("service.name", serviceName);
    }
    io.opentelemetry.api.trace.SpanContext span =
        io.opentelemetry.api.trace.Span.current().getSpanContext();
    if (span.isValid()) {
      event.setTag("trace_id", span.getTraceId());
      event.setTag("span_id", span.getSpanId());
      event
          .getContexts()
          .setTrace(
              new SpanContext(
                  new SentryId(span.getTraceId()),
                  new SpanId(span.getSpanId()),
                  "http.server",
                  null,
                  null));
    }
    RequestHistory history = RequestHistory.current();
    if (history != null) {
      List<Breadcrumb> crumbs = new ArrayList<>();
      for (RequestHistory.Step step : history.steps()) {
        crumbs.add(breadcrumb(step));
      }
      event.setBreadcrumbs(crumbs);
    }
    return event;
  }

  private void send(SentryEvent event, String fingerprint) {
    try {
      if (budget.admit(fingerprint)) {
        Sentry.captureEvent(event);
      }
    } catch (Throwable t) {
      AgentLog.warnOnce("sentry-log", "a log record could not be reported to Sentry", t);
    }
  }

  private void remember(Throwable failure) {
    synchronized (recentFailures) {
      if (recentFailures.size() >= RECENT_FAILURES) {
        recentFailures.clear();
      }
      Throwable t = failure;
      for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
        recentFailures.put(t, Boolean.TRUE);
      }
    }
  }

  private boolean alreadyReported(Throwable logged) {
    return Causes.anyInChain(logged, recentFailures::containsKey);
  }

  /** The same exception, or one wrapping the other (a framework's exception around the cause). */
  static boolean sameFailure(Throwable logged, Throwable failure) {
    return Causes.isOrCauses(logged, failure) || Causes.isOrCauses(failure, logged);
  }

  /** An error-level record logged inside a request, its event built, waiting for the end. */
  private static final class LoggedError {
    final SentryEvent event;
    final Throwable error;
    final String fingerprint;

    LoggedError(SentryEvent event, Throwable error, String fingerprint) {
      this.event = event;
      this.error = error;
      this.fingerprint = fingerprint;
    }
  }

  /** Errors that were only counted: over the per-minute cap or identical to a recent one. */
  public long suppressed() {
    return budget.suppressed();
  }

  SentryEvent event(ServerFailure failure) {
    SentryEvent event = new SentryEvent(failure.error);
    event.setLevel(SentryLevel.ERROR);
    event.setLogger("redwing.http.server");
    String route = failure.route == null || failure.route.isEmpty() ? null : failure.route;
    event.setTransaction(failure.method + " " + (route != null ? route : failure.request.path));
    event.setTag("http.request.method", failure.method);
    if (route != null) {
      event.setTag("http.route", route);
    }
    if (failure.status > 0) {
      event.setTag("http.response.status_code", Integer.toString(failure.status));
    }
    if (failure.requestId != null) {
      event.setTag("request_id", failure.requestId);
    }
    if (failure.traceId != null) {
      event.setTag("trace_id", failure.traceId);
      event.setTag("span_id", failure.spanId);
      event
          .getContexts()
          .setTrace(
              new SpanContext(
                  new SentryId(failure.traceId),
                  new SpanId(failure.spanId),
                  "http.server",
                  null,
                  null));
    }
    if (serviceName != null) {
      event.setTag("service.name", serviceName);
    }
    event.setRequest(request(failure));
    List<Breadcrumb> crumbs = new ArrayList<>();
    List<Map<String, Object>> failed = new ArrayList<>();
    for (RequestHistory.Step step : failure.steps) {
      crumbs.add(breadcrumb(step));
      if (step.failed) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("category", step.category);
        operation.put("description", step.message);
        operation.putAll(step.data);
        failed.add(operation);
      }
    }
    event.setBreadcrumbs(crumbs);
    Map<String, Object> context = new LinkedHashMap<>();
    if (failure.requestId != null) {
      context.put("request_id", failure.requestId);
    }
    context.put("failed_operations", failed);
    context.put("dropped_breadcrumbs", failure.droppedSteps);
    event.getContexts().put("redwing", context);
    return event;
  }

  private static Request request(ServerFailure failure) {
    HttpServerRequest facts = failure.request;
    Request request = new Request();
    request.setMethod(failure.method);
    StringBuilder url = new StringBuilder();
    if (facts.scheme != null && facts.serverAddress != null) {
      url.append(facts.scheme).append("://").append(facts.serverAddress);
      if (facts.serverPort > 0) {
        url.append(':').append(facts.serverPort);
      }
    }
    url.append(facts.path == null ? "" : facts.path);
    request.setUrl(url.toString());
    request.setQueryString(failure.redactedQuery);
    Map<String, String> headers = new LinkedHashMap<>();
    if (facts.userAgent != null) {
      headers.put("User-Agent", facts.userAgent);
    }
    if (failure.requestId != null) {
      headers.put("X-Request-ID", failure.requestId);
    }
    String[] read = failure.headers;
    for (int i = 0; read != null && i + 1 < read.length; i += 2) {
      // The two above win: the id is the one the request ended with, generated or accepted.
      if (!read[i].equalsIgnoreCase("User-Agent") && !read[i].equalsIgnoreCase("X-Request-ID")) {
        headers.put(read[i], read[i + 1]);
      }
    }
    request.setHeaders(headers);
    return request;
  }

  private static Breadcrumb breadcrumb(RequestHistory.Step step) {
    Breadcrumb crumb = new Breadcrumb(new Date(step.epochMillis));
    crumb.setCategory(step.category);
    crumb.setMessage(step.message);
    if (step.category.equals("log")) {
      crumb.setType("default");
      crumb.setLevel(
          "error".equals(step.data.get("level")) ? SentryLevel.ERROR : SentryLevel.WARNING);
    } else {
      crumb.setType(step.category.equals("http") ? "http" : "query");
      crumb.setLevel(step.failed ? SentryLevel.ERROR : SentryLevel.INFO);
    }
    for (Map.Entry<String, String> e : step.data.entrySet()) {
      crumb.setData(e.getKey(), e.getValue());
    }
    return crumb;
  }
}
