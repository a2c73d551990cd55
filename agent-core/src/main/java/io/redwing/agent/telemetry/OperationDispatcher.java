package io.redwing.agent.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.redwing.agent.AgentThreads;
import io.redwing.agent.errors.ExceptionText;
import io.redwing.agent.log.AgentLog;
import io.redwing.agent.logs.ApplicationLogs;
import io.redwing.agent.telemetry.redis.CacheReads;
import io.redwing.agent.telemetry.sql.JdbcRequests;
import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.HttpClientRequest;
import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.OperationListener;
import io.redwing.bootstrap.RedisCalls;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Turns the operations advice reports into metrics and spans, once per category. Never throws:
 * {@link io.redwing.bootstrap.Operations} guards the calls anyway, but a throw loses telemetry.
 */
public final class OperationDispatcher implements OperationListener {
  private static final double NANOS_PER_SECOND = 1_000_000_000.0;

  /** Status codes and low ports as label values, made once instead of on every request. */
  private static final String[] NUMBER_LABELS = new String[1000];

  private final RedMetrics metrics;
  private final SpanRecorder spans;
  private final QueryRedactor redactor;
  private final boolean requestIds;
  private final DbStatements statements;
  private final DependencyHealth dependencies = new DependencyHealth();
  private final TracedMethods tracedMethods = new TracedMethods();

  private volatile RequestErrors errors = RequestErrors.NONE;
  private volatile LogCorrelation logCorrelation;
  private volatile ApplicationLogs applicationLogs;
  private volatile Consumer<String> adviceFailures = name -> {};

  /** Operations started, by category, for {@code status}: cheap enough for every request. */
  private final LongAdder serverOperations = new LongAdder();

  private final LongAdder clientOperations = new LongAdder();
  private final LongAdder dbOperations = new LongAdder();
  private final LongAdder redisOperations = new LongAdder();
  private final LongAdder methodOperations = new LongAdder();

  public OperationDispatcher(
      RedMetrics metrics,
      OpenTelemetry openTelemetry,
      String version,
      Set<String> sensitiveQueryParameters,
      boolean requestIds) {
    this.metrics = metrics;
    this.spans = new SpanRecorder(openTelemetry, version);
    this.redactor = new QueryRedactor(sensitiveQueryParameters);
    this.requestIds = requestIds;
    this.statements = DbStatements.sql();
  }

  /** From now on, requests that end with an exception go to {@code errors} with their history. */
  public void reportErrorsTo(RequestErrors errors) {
    this.errors = errors == null ? RequestErrors.NONE : errors;
  }

  /** From now on, server spans put their ids into the application's MDC; null switches it off. */
  public void correlateLogs(LogCorrelation logCorrelation) {
    this.logCorrelation = logCorrelation;
  }

  /** From now on, the application's log records go to {@code logs}; null drops them. */
  public void routeLogs(ApplicationLogs logs) {
    this.applicationLogs = logs;
  }

  @Override
  public void logRecord(int severity, String logger, String message, Throwable error) {
    ApplicationLogs logs = applicationLogs;
    if (logs != null) {
      logs.record(severity, logger, message, error);
    }
  }

  /** Told the instrumentation's name each time its advice failed (to switch it off). */
  public void onAdviceFailure(Consumer<String> listener) {
    this.adviceFailures = listener == null ? name -> {} : listener;
  }

  /** Operations started so far: http.server, http.client, db, redis, method. */
  public Map<String, Long> operationCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("http.server", serverOperations.sum());
    counts.put("http.client", clientOperations.sum());
    counts.put("db", dbOperations.sum());
    counts.put("redis", redisOperations.sum());
    counts.put("method", methodOperations.sum());
    return counts;
  }

  // ---- HTTP server -------------------------------------------------------------------------

  @Override
  public Operation startHttpServer(HttpServerRequest request) {
    long start = System.nanoTime();
    serverOperations.increment();
    String method = HttpMethods.normalize(request.method);
    String scheme = scheme(request.scheme);
    String requestId = requestIds ? RequestIds.acceptOrGenerate(request.requestId) : null;
    String query = redactor.redact(request.query);
    Span span = spans.startServer(request, method, query, requestId);
    GaugeDataPoint active = metrics.serverActive.get(method, scheme);
    active.inc();
    ServerOperation op = new ServerOperation(span, start, requestId, method, scheme, active);
    op.history = errors.startRequest(request, query);
    op.logs = logCorrelation;
    op.enter();
    return op;
  }

  @Override
  public void endHttpServer(Operation operation, int status, String route, Throwable thrown) {
    if (!(operation instanceof ServerOperation)) {
      return;
    }
    ServerOperation op = (ServerOperation) operation;
    Throwable error = ServletFailures.unwrap(thrown);
    double seconds = secondsSince(op.startNanos);
    String errorType = errorType(status, error);
    DurationSeries duration =
        metrics.serverDuration.get(
            op.method, numberLabel(status), nonNull(route), op.scheme, errorType);
    try {
      duration.observe(seconds, op.span);
      op.active.dec();
      metrics.exceptionThrown(error, route);
      if (error != null && op.history != null) {
        reportFailure(op, status, route, error);
      }
      if (op.history != null) {
        errors.requestEnded(op.history);
      }
      spans.endServer(op.span, op.method, status, route, errorType, error);
    } finally {
      op.leave();
    }
  }

  private void reportFailure(ServerOperation op, int status, String route, Throwable error) {
    io.opentelemetry.api.trace.SpanContext context = op.span.getSpanContext();
    errors.serverFailed(
        new ServerFailure(
            error,
            op.method,
            route,
            status,
            op.requestId,
            context.isValid() ? context.getTraceId() : null,
            context.isValid() ? context.getSpanId() : null,
            op.history,
            op.failedRequestHeaders()));
  }

  @Override
  public void suspendHttpServer(Operation operation) {
    if (operation instanceof ServerOperation) {
      ((ServerOperation) operation).leave();
    }
  }

  @Override
  public void resumeHttpServer(Operation operation) {
    if (operation instanceof ServerOperation) {
      ((ServerOperation) operation).enter();
    }
  }

  // ---- HTTP client -------------------------------------------------------------------------

  @Override
  public Operation startHttpClient(HttpClientRequest request) {
    if (AgentThreads.isAgentThread()) {
      return null; // the exporter's own calls: tracing them would feed on itself
    }
    long start = System.nanoTime();
    clientOperations.increment();
    String method = HttpMethods.normalize(request.method);
    String scheme = "";
    String host = "";
    int port = -1;
    String url = null; // unparseable: better no url.full than one with secrets in it
    ClientUrl parts = request.url == null ? null : ClientUrl.of(request.url);
    if (parts != null) {
      scheme = scheme(parts.scheme);
      host = parts.host;
      port = parts.port > 0 ? parts.port : defaultPort(scheme);
      url = fullUrl(parts);
    }
    Span span = spans.startClient(method, url, scheme, host, port);
    ClientOperation op = new ClientOperation(spans, span, start, method, scheme, host, port);
    op.url = url;
    return op;
  }

  @Override
  public void httpClientProtocol(Operation operation, String version) {
    if (operation instanceof ClientOperation) {
      spans.clientProtocol(((ClientOperation) operation).span, version);
    }
  }

  @Override
  public void endHttpClient(Operation operation, int status, Throwable error) {
    if (!(operation instanceof ClientOperation)) {
      return;
    }
    ClientOperation op = (ClientOperation) operation;
    double seconds = secondsSince(op.startNanos);
    // For a client a 4xx answer is a failed call too (semantic conventions).
    String errorType =
        error == null && status >= 400 ? Integer.toString(status) : errorType(status, error);
    metrics
        .clientDuration
        .get(op.method, numberLabel(status), op.host, numberLabel(op.port), op.scheme, errorType)
        .observe(seconds, op.span);
    // a 4xx is the caller's error (and error_type on the metric), not the dependency failing
    dependencies.record("http", "", op.host, numberLabel(op.port), error == null && status < 500);
    spans.endClient(op.span, status, errorType, error);
    RequestHistory history = RequestHistory.current();
    if (history != null) {
      history.add(
          "http",
          op.method + " " + (op.url == null ? op.host : op.url),
          error != null || status >= 500,
          "status_code",
          numberLabel(status),
          "duration_ms",
          Long.toString(Math.round(seconds * 1000)),
          "error_type",
          errorType);
    }
  }

  // ---- database clients --------------------------------------------------------------------

  @Override
  public Operation startDbClient(DbClientRequest raw) {
    return startDb(raw, true);
  }

  /** A command in a batch is observed; the batch's span stands for it. */
  @Override
  public Operation startDbClientInBatch(DbClientRequest raw, Operation batch) {
    return startDb(raw, !(batch instanceof DbOperation));
  }

  private DbOperation startDb(DbClientRequest raw, boolean spanned) {
    long start = System.nanoTime();
    // JDBC reports its connection's URL: system, address, port and database come from it.
    DbClientRequest request = JdbcRequests.complete(raw);
    (RedisCalls.SYSTEM.equals(request.system) ? redisOperations : dbOperations).increment();
    DbStatement statement = statements.describe(request);
    Span span = spanned ? spans.startDb(request, statement) : Span.getInvalid();
    return new DbOperation(span, start, request, statement);
  }

  /** Only a span: its commands are each observed, and counting it too would count them twice. */
  @Override
  public Operation startDbBatch(DbClientRequest request) {
    DbStatement statement = statements.describe(request);
    return new DbOperation(
        spans.startDb(request, statement), System.nanoTime(), request, statement);
  }

  @Override
  public void endDbBatch(Operation batch, String operationName, int size, Throwable error) {
    if (!(batch instanceof DbOperation)) {
      return;
    }
    DbOperation op = (DbOperation) batch;
    spans.nameDbBatch(op.span, operationName, size);
    endDbSpan(op, dbErrorType(error), error);
  }

  /** The span is left unended, so never exported; the command is not counted either. */
  @Override
  public void discardDbClient(Operation operation) {
    if (operation instanceof DbOperation) {
      DbClientRequest request = ((DbOperation) operation).request;
      (RedisCalls.SYSTEM.equals(request.system) ? redisOperations : dbOperations).decrement();
    }
  }

  @Override
  public void endDbClient(Operation operation, Throwable error) {
    if (!(operation instanceof DbOperation)) {
      return;
    }
    DbOperation op = (DbOperation) operation;
    double seconds = secondsSince(op.startNanos);
    String errorType = dbErrorType(error);
    metrics
        .dbDuration
        .get(
            nonNull(op.request.system),
            nonNull(op.statement.operationName()),
            nonNull(op.statement.collectionName()),
            nonNull(op.request.namespace),
            nonNull(op.request.serverAddress),
            numberLabel(op.request.serverPort),
            errorType)
        .observe(seconds, op.span);
    dependencies.record(
        "db",
        nonNull(op.request.system),
        op.request.serverAddress,
        numberLabel(op.request.serverPort),
        error == null);
    endDbSpan(op, errorType, error);
    RequestHistory history = RequestHistory.current();
    if (history != null) {
      String text = op.statement.queryText();
      history.add(
          "db",
          text != null ? text : nonNull(op.statement.operationName()),
          error != null,
          "db_system_name",
          op.request.system,
          "duration_ms",
          Long.toString(Math.round(seconds * 1000)),
          "error_type",
          errorType);
    }
  }

  private void endDbSpan(DbOperation op, String errorType, Throwable error) {
    if (error != null && RedisCalls.SYSTEM.equals(op.request.system)) {
      // an error reply quotes the command's arguments, here and wherever else it is seen
      ExceptionText.redactAs(error, RedisCalls.ErrorReply.code(error.getMessage()));
    }
    spans.endDb(op.span, errorType, error);
  }

  // ---- traced methods ----------------------------------------------------------------------

  @Override
  @SuppressWarnings("MustBeClosedChecker") // closed by endMethod, on this same thread
  public Operation startMethod(
      Class<?> type, String method, String descriptor, Object[] arguments) {
    long start = System.nanoTime();
    methodOperations.increment();
    TracedMethod traced =
        descriptor == null
            ? tracedMethods.listed(type, method)
            : tracedMethods.annotated(type, method, descriptor);
    Span span = spans.startMethod(traced, arguments);
    // current until the method returns, so that its calls and queries become its children
    Scope scope = isEffectivelyCurrent(span) ? null : Context.current().with(span).makeCurrent();
    return new MethodOperation(span, start, traced, scope);
  }

  @Override
  public void endMethod(Operation operation, Throwable error, Object returned) {
    if (!(operation instanceof MethodOperation)) {
      return;
    }
    MethodOperation op = (MethodOperation) operation;
    if (op.scope != null) {
      op.scope.close();
    }
    if (error == null && returned instanceof CompletionStage) {
      // OpenTelemetry's agent ends such a span when the future completes, not when it is returned
      ((CompletionStage<?>) returned)
          .whenComplete((value, failure) -> finishMethod(op, unwrapCompletion(failure)));
    } else {
      finishMethod(op, error);
    }
  }

  private void finishMethod(MethodOperation op, Throwable error) {
    double seconds = secondsSince(op.startNanos);
    String errorType = error == null ? "" : error.getClass().getName();
    metrics
        .methodDuration
        .get(op.method.namespace, op.method.function, errorType)
        .observe(seconds, op.span);
    spans.endMethod(op.span, errorType, error);
  }

  private static Throwable unwrapCompletion(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  // ---- context across threads --------------------------------------------------------------

  @Override
  public Object captureContext() {
    Context current = Context.current();
    // nothing current: the caller stores nothing, so the common case allocates nothing
    return current == Context.root() ? null : current;
  }

  @Override
  @SuppressWarnings("MustBeClosedChecker") // closed by detachContext, on the same thread
  public Object attachContext(Object context) {
    return context instanceof Context ? ((Context) context).makeCurrent() : null;
  }

  @Override
  public void detachContext(Object token) {
    if (token instanceof Scope) {
      ((Scope) token).close();
    }
  }

  @Override
  public void dbReply(Operation operation, Object reply) {
    if (!(operation instanceof DbOperation)) {
      return;
    }
    DbOperation op = (DbOperation) operation;
    CacheReads.Outcome outcome =
        CacheReads.of(op.statement.operationName(), op.request.argumentCount, reply);
    if (outcome != null) {
      metrics.cacheRead(nonNull(op.request.system), outcome.hits, outcome.misses);
    }
  }

  /** The exception's class; for a Redis error reply its code ({@code WRONGTYPE}). */
  private static String dbErrorType(Throwable error) {
    if (error instanceof RedisCalls.ErrorReply) {
      return ((RedisCalls.ErrorReply) error).code;
    }
    return error == null ? "" : error.getClass().getName();
  }

  // ---- health ------------------------------------------------------------------------------

  /** The dependencies this dispatcher has seen called, for /health/detailed and alerts. */
  public DependencyHealth dependencies() {
    return dependencies;
  }

  @Override
  public void adviceFailed(String instrumentation, Throwable error) {
    String name = instrumentation == null ? "unknown" : instrumentation;
    metrics.adviceFailed(name);
    adviceFailures.accept(name);
    AgentLog.warnOnce(
        "advice:" + name,
        "advice of "
            + name
            + " failed and was suppressed (counted in "
            + RedMetrics.ADVICE_ERRORS
            + ")",
        error);
  }

  /**
   * Whether making {@code span} current would change nothing anyone reads: it already is, or
   * neither it nor the current span is valid (tracing off). Making it current costs a context and a
   * scope.
   */
  private static boolean isEffectivelyCurrent(Span span) {
    Span current = Span.current();
    return current == span
        || (!span.getSpanContext().isValid() && !current.getSpanContext().isValid());
  }

  // ---- facts -------------------------------------------------------------------------------

  private static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / NANOS_PER_SECOND;
  }

  /** A status code or port as a label value; 0 and below mean unknown, which is empty. */
  private static String numberLabel(int value) {
    if (value <= 0) {
      return "";
    }
    if (value >= NUMBER_LABELS.length) {
      return Integer.toString(value);
    }
    // racy but safe: Strings are immutable, and a lost write only costs one more toString
    String label = NUMBER_LABELS[value];
    if (label == null) {
      label = Integer.toString(value);
      NUMBER_LABELS[value] = label;
    }
    return label;
  }

  /** The exception's class, else the status for a 5xx, else empty: the metric's label value. */
  static String errorType(int status, Throwable error) {
    if (error != null) {
      return error.getClass().getName();
    }
    return status >= 500 ? Integer.toString(status) : "";
  }

  private static String scheme(String scheme) {
    if (scheme == null) {
      return "";
    }
    String s = scheme.toLowerCase(Locale.ROOT);
    // only two values are meaningful; anything else must not become a label value
    return s.equals("http") || s.equals("https") ? s : HttpMethods.OTHER;
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
  }

  /** url.full: no user info, no fragment, the sensitive query parameters' values redacted. */
  private String fullUrl(ClientUrl parts) {
    String query = redactor.redact(parts.rawQuery);
    return parts.origin + parts.rawPath + (query == null ? "" : "?" + query);
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }

  /** A server request: its span, and the scope that makes it current on the owning thread. */
  static final class ServerOperation extends Operation {
    final Span span;
    final long startNanos;
    final String requestId;
    final String method;
    final String scheme;
    final GaugeDataPoint active;

    /** Set right after construction when errors are reported; otherwise null. */
    RequestHistory history;

    /** Set right after construction when log correlation is on; otherwise null. */
    LogCorrelation logs;

    /**
     * Scopes by the thread that opened them: an async dispatch may resume on another thread before
     * the first one suspended, and each thread must close only its own scope. The first thread's is
     * in a field, so the usual single-threaded request allocates no map.
     */
    private Thread firstThread;

    private Scope firstScope;
    private Map<Thread, Scope> otherScopes;

    ServerOperation(
        Span span,
        long startNanos,
        String requestId,
        String method,
        String scheme,
        GaugeDataPoint active) {
      this.span = span;
      this.startNanos = startNanos;
      this.requestId = requestId;
      this.method = method;
      this.scheme = scheme;
      this.active = active;
    }

    @Override
    public String requestId() {
      return requestId;
    }

    /** Makes the span current on this thread. */
    @SuppressWarnings("MustBeClosedChecker") // closed by leave(), on this same thread
    synchronized void enter() {
      Thread current = Thread.currentThread();
      if (current == firstThread || (otherScopes != null && otherScopes.containsKey(current))) {
        return;
      }
      Scope scope = null;
      // nothing to carry (tracing off, no error reporting): no context and scope per request
      if (history != null || logs != null || !isEffectivelyCurrent(span)) {
        Context context = Context.current().with(span);
        scope =
            (history == null ? context : context.with(RequestHistory.KEY, history)).makeCurrent();
      }
      if (logs != null) {
        scope = logs.wrap(scope, span.getSpanContext(), requestId);
      }
      if (firstThread == null) {
        firstThread = current;
        firstScope = scope;
      } else {
        if (otherScopes == null) {
          otherScopes = new HashMap<>(2);
        }
        otherScopes.put(current, scope);
      }
    }

    /** Closes this thread's scope, if it has one; another thread's scope is that thread's job. */
    @Override
    public void abandon() {
      leave();
    }

    synchronized void leave() {
      Thread current = Thread.currentThread();
      Scope scope = null;
      if (current == firstThread) {
        scope = firstScope;
        firstThread = null;
        firstScope = null;
      } else if (otherScopes != null) {
        scope = otherScopes.remove(current);
      }
      if (scope != null) {
        scope.close();
      }
    }
  }

  /** An outbound HTTP call. */
  static final class ClientOperation extends Operation {
    final Span span;
    final long startNanos;
    final String method;
    final String scheme;
    final String host;
    final int port;
    private final SpanRecorder spans;

    /** The sanitised URL, for the request's history. */
    String url;

    ClientOperation(
        SpanRecorder spans,
        Span span,
        long startNanos,
        String method,
        String scheme,
        String host,
        int port) {
      this.spans = spans;
      this.span = span;
      this.startNanos = startNanos;
      this.method = method;
      this.scheme = scheme;
      this.host = host;
      this.port = port;
    }

    @Override
    public String[] propagationHeaders() {
      return spans.propagationHeaders(span);
    }
  }

  /** A traced method: its span, and the scope that makes it current while the method runs. */
  static final class MethodOperation extends Operation {
    final Span span;
    final long startNanos;
    final TracedMethod method;

    /** Null when making the span current would have changed nothing. */
    final Scope scope;

    MethodOperation(Span span, long startNanos, TracedMethod method, Scope scope) {
      this.span = span;
      this.startNanos = startNanos;
      this.method = method;
      this.scope = scope;
    }

    @Override
    public void abandon() {
      if (scope != null) {
        scope.close();
      }
    }
  }

  /** A statement or command. */
  static final class DbOperation extends Operation {
    final Span span;
    final long startNanos;
    final DbClientRequest request;
    final DbStatement statement;

    DbOperation(Span span, long startNanos, DbClientRequest request, DbStatement statement) {
      this.span = span;
      this.startNanos = startNanos;
      this.request = request;
      this.statement = statement;
    }
  }
}
