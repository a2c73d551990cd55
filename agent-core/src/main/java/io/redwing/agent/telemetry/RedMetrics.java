package io.redwing.agent.telemetry;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Arrays;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

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

  /** Every label value of the series that observations past a metric's cap fold into. */
  static final String OVERFLOW = "_overflow";

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
  private final Counter exportFailures;
  private final Counter logExportFailures;
  final CappedSeries<DurationSeries> serverDuration;
  final CappedSeries<GaugeDataPoint> serverActive;
  final CappedSeries<DurationSeries> clientDuration;
  final CappedSeries<DurationSeries> dbDuration;
  final CappedSeries<DurationSeries> methodDuration;
  private final CappedSeries<CounterDataPoint> adviceErrors;
  private final ExceptionCounter exceptions;
  private final CappedSeries<CounterDataPoint> cacheRequests;

  private final boolean nativeHistograms;

  /** Classic histograms only, as the OpenTelemetry agent's Prometheus exporter gives. */
  public RedMetrics(String version, int cardinalityLimit) {
    this(version, cardinalityLimit, false);
  }

  public RedMetrics(String version, int cardinalityLimit, boolean nativeHistograms) {
    this.nativeHistograms = nativeHistograms;
    overflow =
        Counter.builder()
            .name(METRIC_OVERFLOW)
            .help("Observations folded into the overflow series because a metric hit its cap")
            .labelNames("metric")
            .withoutExemplars()
            .register(registry);
    DurationHistogram server =
        duration(
            HTTP_SERVER_DURATION,
            "Duration of HTTP server requests",
            "http_request_method",
            "http_response_status_code",
            "http_route",
            "url_scheme",
            "error_type");
    serverDuration = capped(HTTP_SERVER_DURATION, 5, cardinalityLimit, server::labelValues);
    Gauge active =
        Gauge.builder()
            .name(HTTP_SERVER_ACTIVE)
            .help("Number of active HTTP server requests")
            .labelNames("http_request_method", "url_scheme")
            .withoutExemplars()
            .register(registry);
    serverActive = capped(HTTP_SERVER_ACTIVE, 2, cardinalityLimit, active::labelValues);
    DurationHistogram client =
        duration(
            HTTP_CLIENT_DURATION,
            "Duration of HTTP client requests",
            "http_request_method",
            "http_response_status_code",
            "server_address",
            "server_port",
            "url_scheme",
            "error_type");
    clientDuration = capped(HTTP_CLIENT_DURATION, 6, cardinalityLimit, client::labelValues);
    DurationHistogram db =
        duration(
            DB_CLIENT_DURATION,
            "Duration of database client operations",
            "db_system_name",
            "db_operation_name",
            "db_collection_name",
            "db_namespace",
            "server_address",
            "server_port",
            "error_type");
    dbDuration = capped(DB_CLIENT_DURATION, 7, cardinalityLimit, db::labelValues);
    DurationHistogram method =
        duration(
            METHOD_DURATION,
            "Duration of traced methods (configured or @WithSpan)",
            "code_namespace",
            "code_function",
            "error_type");
    methodDuration = capped(METHOD_DURATION, 3, cardinalityLimit, method::labelValues);

    Info.builder()
        .name(AGENT_INFO)
        .help("The Redwing agent, always 1")
        .labelNames("version")
        .register(registry)
        .addLabelValues(version);
    Counter advice =
        Counter.builder()
            .name(ADVICE_ERRORS)
            .help("Errors thrown by advice and suppressed so the application never saw them")
            .labelNames("instrumentation")
            .withoutExemplars()
            .register(registry);
    adviceErrors = capped(ADVICE_ERRORS, 1, 100, advice::labelValues);
    Counter cache =
        Counter.builder()
            .name(CACHE_REQUESTS)
            .help("Keys read from a cache by GET-like commands, by whether the reply had a value")
            .labelNames("result", "db_system_name")
            .withoutExemplars()
            .register(registry);
    cacheRequests = capped(CACHE_REQUESTS, 2, 20, cache::labelValues);
    exportFailures =
        Counter.builder()
            .name(SPAN_EXPORT_FAILURES)
            .help("Spans the OTLP exporter failed to deliver")
            .withoutExemplars()
            .register(registry);
    logExportFailures =
        Counter.builder()
            .name(LOG_EXPORT_FAILURES)
            .help("Application log records the OTLP exporter failed to deliver")
            .withoutExemplars()
            .register(registry);
    Counter thrown =
        Counter.builder()
            .name(EXCEPTIONS)
            .help("Exceptions that ended server requests, by class and route")
            .labelNames("exception_type", "http_route")
            .withoutExemplars()
            .register(registry);
    exceptions =
        new ExceptionCounter(
            capped(EXCEPTIONS + ":exception_type", 1, EXCEPTION_TYPE_LIMIT, values -> values[0]),
            capped(EXCEPTIONS, 2, cardinalityLimit, thrown::labelValues));
  }

  /**
   * Native buckets 2^(1/8) apart (schema 3: the bucket factor 1.1 of Prometheus' own examples)
   * rather than the client's initial 2^(1/32): the client boxes the bucket index on every
   * observation, and from schema 3 down the index of any duration between 16 µs and 16 hours is one
   * of the JDK's cached Integers, so observing allocates nothing. A histogram spread over a few
   * decades scales itself down to about this schema anyway (160 buckets at most).
   */
  static final int NATIVE_SCHEMA = 3;

  /**
   * A duration histogram with the conventions' classic buckets, and native ones when asked for:
   * without them an observation is one bucket search and two adds, not a map lookup more. Its
   * exemplars are the agent's own ({@link DurationHistogram}), not the client's.
   */
  DurationHistogram duration(String name, String help, String... labelNames) {
    Histogram.Builder builder = Histogram.builder().name(name).help(help);
    builder = nativeHistograms ? builder.nativeInitialSchema(NATIVE_SCHEMA) : builder.classicOnly();
    DurationHistogram histogram = new DurationHistogram(builder, DURATION_BUCKETS, labelNames);
    registry.register(histogram);
    return histogram;
  }

  /** {@code series} makes the series of a label set admitted for the first time. */
  <D> CappedSeries<D> capped(
      String metric, int labels, int limit, Function<String[], ? extends D> series) {
    Function<String[], D> make = series::apply;
    return new CappedSeries<>(labels, limit, make, new Overflow<>(metric, labels, make));
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * {@code instrumentation} transformed a type: its advice-error series starts at zero, because
   * {@code increase()} and {@code rate()} cannot see the first error of a series that appears with
   * it, and the alert on advice errors would miss an instrumentation that fails once.
   */
  public void instrumentationApplied(String instrumentation) {
    adviceErrors.get(String.valueOf(instrumentation));
  }

  void adviceFailed(String instrumentation) {
    adviceErrors.get(String.valueOf(instrumentation)).inc();
  }

  /** A server request ended with {@code error}: counted by its class and the request's route. */
  void exceptionThrown(Throwable error, String route) {
    exceptions.count(error, route);
  }

  /** {@code hits} and {@code misses} keys read from a cache of {@code system}. */
  void cacheRead(String system, long hits, long misses) {
    if (hits > 0) {
      cacheRequests.get("hit", system).inc(hits);
    }
    if (misses > 0) {
      cacheRequests.get("miss", system).inc(misses);
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

  /**
   * Counts each lookup folded past the cap and gives the series whose every value is {@code
   * _overflow}, made at the first fold; racy but safe, since the client returns one series per
   * label set.
   */
  private final class Overflow<D> implements Supplier<D> {
    private final String metric;
    private final int labels;
    private final Function<String[], D> make;
    private final CounterDataPoint count;
    private D series;

    Overflow(String metric, int labels, Function<String[], D> make) {
      this.metric = metric;
      this.labels = labels;
      this.make = make;
      // at zero from the start, so that rate() sees the first fold
      this.count = overflow.labelValues(metric);
    }

    @Override
    public D get() {
      count.inc();
      D result = series;
      if (result == null) {
        String[] values = new String[labels];
        Arrays.fill(values, OVERFLOW);
        result = make.apply(values);
        series = result;
      }
      return result;
    }
  }
}
