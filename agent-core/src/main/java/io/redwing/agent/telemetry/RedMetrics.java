package io.redwing.agent.telemetry;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/**
 * The RED metrics and the agent's own health metrics, on the agent's own registry so that an
 * application using {@code PrometheusRegistry.defaultRegistry} sees none of them.
 */
public final class RedMetrics {
  public static final String HTTP_SERVER_DURATION = "http_server_request_duration_seconds";
  public static final String HTTP_SERVER_ACTIVE = "http_server_active_requests";
  public static final String HTTP_CLIENT_DURATION = "http_client_request_duration_seconds";
  public static final String DB_CLIENT_DURATION = "db_client_operation_duration_seconds";
  public static final String METHOD_DURATION = "redwing_method_duration_seconds";
  public static final String AGENT_INFO = "redwing_agent_info";
  public static final String METRIC_OVERFLOW = "redwing_metric_overflow_total";
  public static final String ADVICE_ERRORS = "redwing_advice_errors_total";
  public static final String SPAN_EXPORT_FAILURES = "redwing_span_export_failures_total";
  public static final String LOG_EXPORT_FAILURES = "redwing_log_export_failures_total";
  public static final String SPANS_DROPPED = "redwing_spans_dropped_total";
  public static final String EXCEPTIONS = "redwing_exceptions_total";

  /** Distinct exception classes kept as label values; later ones count as the overflow value. */
  static final int EXCEPTION_TYPE_LIMIT = 100;

  public static final String CACHE_REQUESTS = "redwing_cache_requests_total";

  /** The semantic conventions' advice for duration histograms, in seconds. */
  static final double[] DURATION_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter overflow;
  private final Counter adviceErrors;
  private final Counter exportFailures;
  private final Counter logExportFailures;
  final Histogram serverDuration;
  final Gauge serverActive;
  final Histogram clientDuration;
  final Histogram dbDuration;
  final CappedLabels serverLabels;
  final CappedLabels serverActiveLabels;
  final CappedLabels clientLabels;
  final CappedLabels dbLabels;
  final Histogram methodDuration;
  final CappedLabels methodLabels;
  private final CappedLabels adviceErrorLabels;
  private final ExceptionCounter exceptions;
  private final Counter cacheRequests;
  private final CappedLabels cacheLabels;

  public RedMetrics(String version, int cardinalityLimit) {
    overflow =
        Counter.builder()
            .name(METRIC_OVERFLOW)
            .help("Observations folded into the overflow series because a metric hit its cap")
            .labelNames("metric")
            .register(registry);
    serverDuration =
        duration(HTTP_SERVER_DURATION, "Duration of HTTP server requests")
            .labelNames(
                "http_request_method",
                "http_response_status_code",
                "http_route",
                "url_scheme",
                "error_type")
            .register(registry);
    serverActive =
        Gauge.builder()
            .name(HTTP_SERVER_ACTIVE)
            .help("Number of active HTTP server requests")
            .labelNames("http_request_method", "url_scheme")
            .register(registry);
    clientDuration =
        duration(HTTP_CLIENT_DURATION, "Duration of HTTP client requests")
            .labelNames(
                "http_request_method",
                "http_response_status_code",
                "server_address",
                "server_port",
                "url_scheme",
                "error_type")
            .register(registry);
    dbDuration =
        duration(DB_CLIENT_DURATION, "Duration of database client operations")
            .labelNames(
                "db_system_name",
                "db_operation_name",
                "db_collection_name",
                "db_namespace",
                "server_address",
                "server_port",
                "error_type")
            .register(registry);
    serverLabels = capped(HTTP_SERVER_DURATION, 5, cardinalityLimit);
    serverActiveLabels = capped(HTTP_SERVER_ACTIVE, 2, cardinalityLimit);
    clientLabels = capped(HTTP_CLIENT_DURATION, 6, cardinalityLimit);
    dbLabels = capped(DB_CLIENT_DURATION, 7, cardinalityLimit);
    methodDuration =
        duration(METHOD_DURATION, "Duration of traced methods (configured or @WithSpan)")
            .labelNames("code_namespace", "code_function", "error_type")
            .register(registry);
    methodLabels = capped(METHOD_DURATION, 3, cardinalityLimit);

    Info.builder()
        .name(AGENT_INFO)
        .help("The Redwing agent, always 1")
        .labelNames("version")
        .register(registry)
        .addLabelValues(version);
    adviceErrors =
        Counter.builder()
            .name(ADVICE_ERRORS)
            .help("Errors thrown by advice and suppressed so the application never saw them")
            .labelNames("instrumentation")
            .register(registry);
    adviceErrorLabels = capped(ADVICE_ERRORS, 1, 100);
    cacheRequests =
        Counter.builder()
            .name(CACHE_REQUESTS)
            .help("Keys read from a cache by GET-like commands, by whether the reply had a value")
            .labelNames("result", "db_system_name")
            .register(registry);
    cacheLabels = capped(CACHE_REQUESTS, 2, 20);
    exportFailures =
        Counter.builder()
            .name(SPAN_EXPORT_FAILURES)
            .help("Spans the OTLP exporter failed to deliver")
            .register(registry);
    logExportFailures =
        Counter.builder()
            .name(LOG_EXPORT_FAILURES)
            .help("Application log records the OTLP exporter failed to deliver")
            .register(registry);
    exceptions =
        new ExceptionCounter(
            Counter.builder()
                .name(EXCEPTIONS)
                .help("Exceptions that ended server requests, by class and route")
                .labelNames("exception_type", "http_route")
                .register(registry),
            capped(EXCEPTIONS + ":exception_type", 1, EXCEPTION_TYPE_LIMIT),
            capped(EXCEPTIONS, 2, cardinalityLimit));
  }

  private static Histogram.Builder duration(String name, String help) {
    return Histogram.builder().name(name).help(help).classicUpperBounds(DURATION_BUCKETS);
  }

  CappedLabels capped(String metric, int labels, int limit) {
    return new CappedLabels(metric, labels, limit, () -> overflow.labelValues(metric).inc());
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  void adviceFailed(String instrumentation) {
    adviceErrors.labelValues(adviceErrorLabels.admit(String.valueOf(instrumentation))).inc();
  }

  /** A server request ended with {@code error}: counted by its class and the request's route. */
  void exceptionThrown(Throwable error, String route) {
    exceptions.count(error, route);
  }

  /** {@code hits} and {@code misses} keys read from a cache of {@code system}. */
  void cacheRead(String system, long hits, long misses) {
    if (hits > 0) {
      cacheRequests.labelValues(cacheLabels.admit("hit", system)).inc(hits);
    }
    if (misses > 0) {
      cacheRequests.labelValues(cacheLabels.admit("miss", system)).inc(misses);
    }
  }

  void spanExportFailed(long spans) {
    exportFailures.inc(spans);
  }

  void logExportFailed(long records) {
    logExportFailures.inc(records);
  }

  /** {@code dropped} is read at scrape time from the SDK's own counter. */
  void registerSpansDropped(DoubleSupplier dropped) {
    CounterWithCallback.builder()
        .name(SPANS_DROPPED)
        .help("Spans the batch span processor dropped because its queue was full")
        .callback(callback -> callback.call(dropped.getAsDouble()))
        .register(registry);
  }
}
