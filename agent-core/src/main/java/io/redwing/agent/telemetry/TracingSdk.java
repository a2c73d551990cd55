package io.redwing.agent.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.redwing.agent.AgentThreads;
import io.redwing.agent.config.RedwingConfig;
import io.redwing.agent.config.SecretMask;
import io.redwing.agent.log.AgentLog;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Builds the OpenTelemetry SDK with its own autoconfigure module from Redwing's merged properties,
 * never as the global instance: the application's {@code GlobalOpenTelemetry} stays its own.
 */
public final class TracingSdk implements AutoCloseable {
  /**
   * How long exit and {@code detach} wait for the last spans. The SDK's own close waits 10 s, and
   * an unreachable collector's retries use all of it: the application's exit waited that long.
   */
  static final long FLUSH_SECONDS = 2;

  private final OpenTelemetry openTelemetry;
  private final String exporterState;
  private final boolean logsExported;
  private final DropCounter drops;
  private final LiveSampler[] sampler;
  private final List<ExecutorService> senders;

  /** Ours, not autoconfigure's, which nobody can remove: it kept every detached SDK alive. */
  private final Thread flushAtExit;

  private TracingSdk(
      OpenTelemetry openTelemetry,
      String exporterState,
      boolean logsExported,
      DropCounter drops,
      LiveSampler[] sampler,
      List<ExecutorService> senders) {
    this.openTelemetry = openTelemetry;
    this.exporterState = exporterState;
    this.logsExported = logsExported && openTelemetry instanceof OpenTelemetrySdk;
    this.drops = drops;
    this.sampler = sampler;
    this.senders = senders;
    this.flushAtExit = new Thread(this::close, "redwing-flush");
    if (openTelemetry instanceof OpenTelemetrySdk) {
      try {
        Runtime.getRuntime().addShutdownHook(flushAtExit);
      } catch (IllegalStateException | SecurityException e) {
        // the JVM is already shutting down: nothing will be exported anyway
      }
    }
  }

  /**
   * The SDK's message quotes the value it rejected, which may be a header with a token or an
   * endpoint with a password: the values of secret-looking keys are masked, as {@code status} does.
   */
  static String withoutSecrets(String message, Map<String, String> properties) {
    String result = String.valueOf(message);
    for (Map.Entry<String, String> e : properties.entrySet()) {
      String value = e.getValue();
      if (value != null && !value.isBlank() && SecretMask.isSecret(e.getKey())) {
        result = result.replace(value, SecretMask.MASK);
      }
    }
    return SecretMask.show("message", result);
  }

  /** Autoconfigures; a {@link ConfigurationException} costs one line and tracing falls back. */
  public static TracingSdk create(RedwingConfig config, RedMetrics metrics) {
    Map<String, String> properties = new LinkedHashMap<>(config.sdkProperties());
    DropCounter drops = new DropCounter();
    metrics.registerSpansDropped(drops::dropped);
    // filled in by the SDK's sampler customizer; stays empty when tracing could not start
    LiveSampler[] sampler = new LiveSampler[1];
    List<ExecutorService> senders = new CopyOnWriteArrayList<>();
    try {
      return new TracingSdk(
          build(properties, metrics, drops, sampler, senders),
          state(properties),
          logsExported(properties),
          drops,
          sampler,
          senders);
    } catch (ConfigurationException e) {
      AgentLog.warn(
          "OpenTelemetry configuration rejected: "
              + withoutSecrets(e.getMessage(), properties)
              + (e.getCause() != null
                  ? " (" + withoutSecrets(e.getCause().toString(), properties) + ")"
                  : "")
              + "; traces are not exported (OTEL_TRACES_EXPORTER=none)");
    }
    properties.put("otel.traces.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    try {
      return new TracingSdk(
          build(properties, metrics, drops, sampler, senders),
          "none (configuration error)",
          false,
          drops,
          sampler,
          senders);
    } catch (RuntimeException e) {
      AgentLog.warn("OpenTelemetry SDK could not start; tracing is off", e);
      return new TracingSdk(
          OpenTelemetry.noop(), "off (configuration error)", false, drops, sampler, senders);
    }
  }

  private static OpenTelemetry build(
      Map<String, String> properties,
      RedMetrics metrics,
      DropCounter drops,
      LiveSampler[] sampler,
      List<ExecutorService> senders) {
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            // defaults, then the same map again over what the SDK reads from the environment and
            // system properties itself: our precedence and our corrections of bad values win
            .addPropertiesSupplier(() -> properties)
            .addPropertiesCustomizer(ignored -> properties)
            .addSpanExporterCustomizer(
                (exporter, ignored) ->
                    new CountingSpanExporter(ownThreads(exporter, senders), metrics))
            .addLogRecordExporterCustomizer(
                (exporter, ignored) ->
                    new CountingLogRecordExporter(ownThreads(exporter, senders), metrics))
            .addSamplerCustomizer(
                (configured, ignored) -> {
                  sampler[0] = new LiveSampler(configured, properties.get("otel.traces.sampler"));
                  return sampler[0];
                })
            .addMeterProviderCustomizer((builder, ignored) -> builder.registerMetricReader(drops))
            .setServiceClassLoader(TracingSdk.class.getClassLoader())
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    return sdk;
  }

  /** The OTLP sender's threads become daemons named redwing-otlp-*, not the JDK client's. */
  private static SpanExporter ownThreads(SpanExporter exporter, List<ExecutorService> senders) {
    if (!(exporter instanceof OtlpHttpSpanExporter)) {
      return exporter;
    }
    ExecutorService pool = AgentThreads.fixedPool("otlp", 2);
    senders.add(pool); // a pool the exporter was given is ours to stop, not the exporter's
    SpanExporter rebuilt =
        ((OtlpHttpSpanExporter) exporter).toBuilder().setExecutorService(pool).build();
    exporter.shutdown();
    return rebuilt;
  }

  /** The same for the logs exporter, which has a pool of its own. */
  private static LogRecordExporter ownThreads(
      LogRecordExporter exporter, List<ExecutorService> senders) {
    if (!(exporter instanceof OtlpHttpLogRecordExporter)) {
      return exporter;
    }
    ExecutorService pool = AgentThreads.fixedPool("otlp-logs", 1);
    senders.add(pool);
    LogRecordExporter rebuilt =
        ((OtlpHttpLogRecordExporter) exporter).toBuilder().setExecutorService(pool).build();
    exporter.shutdown();
    return rebuilt;
  }

  private static boolean logsExported(Map<String, String> properties) {
    return !state(properties).equals("disabled")
        && "otlp".equalsIgnoreCase(properties.getOrDefault("otel.logs.exporter", "none").trim());
  }

  private static String state(Map<String, String> properties) {
    if ("true".equalsIgnoreCase(properties.getOrDefault("otel.sdk.disabled", "false").trim())) {
      return "disabled";
    }
    return properties.getOrDefault("otel.traces.exporter", "otlp");
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  public ContextPropagators propagators() {
    return openTelemetry.getPropagators();
  }

  /** The inbound headers server advice must read beyond the W3C three: B3's, when configured. */
  public String[] inboundFields() {
    return SpanRecorder.inboundFields(propagators());
  }

  /** For {@code /health}: the configured traces exporter, or why there is none. */
  public String exporterState() {
    return exporterState;
  }

  /**
   * Where application log records go ({@code OTEL_LOGS_EXPORTER=otlp}): the SDK's logger provider,
   * with the resource of the traces; null when logs are not exported.
   */
  public LoggerProvider logsBridge() {
    return logsExported ? openTelemetry.getLogsBridge() : null;
  }

  /** The live sampler, or null when tracing runs without the SDK. */
  public LiveSampler sampler() {
    return sampler[0];
  }

  double droppedSpans() {
    return drops.dropped();
  }

  /** Flushes, for {@link #FLUSH_SECONDS} at most, and stops the SDK and the exporter's threads. */
  @Override
  public void close() {
    if (Thread.currentThread() != flushAtExit) {
      try {
        Runtime.getRuntime().removeShutdownHook(flushAtExit);
      } catch (IllegalStateException | SecurityException e) {
        // shutting down: the hook runs or has run
      }
    }
    if (openTelemetry instanceof OpenTelemetrySdk) {
      ((OpenTelemetrySdk) openTelemetry).shutdown().join(FLUSH_SECONDS, TimeUnit.SECONDS);
    }
    // stops an export still retrying
    for (ExecutorService pool : senders) {
      pool.shutdownNow();
    }
  }

  /** Counts spans whose export failed, so that a dead collector shows on {@code /metrics}. */
  static final class CountingSpanExporter implements SpanExporter {
    private final SpanExporter delegate;
    private final RedMetrics metrics;

    CountingSpanExporter(SpanExporter delegate, RedMetrics metrics) {
      this.delegate = delegate;
      this.metrics = metrics;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return counted(
          () -> delegate.export(spans),
          spans.size(),
          metrics::spanExportFailed,
          "span-export",
          "exporting spans failed");
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }

  /** The same for application log records ({@code OTEL_LOGS_EXPORTER=otlp}). */
  static final class CountingLogRecordExporter implements LogRecordExporter {
    private final LogRecordExporter delegate;
    private final RedMetrics metrics;

    CountingLogRecordExporter(LogRecordExporter delegate, RedMetrics metrics) {
      this.delegate = delegate;
      this.metrics = metrics;
    }

    @Override
    public CompletableResultCode export(Collection<LogRecordData> records) {
      return counted(
          () -> delegate.export(records),
          records.size(),
          metrics::logExportFailed,
          "log-export",
          "exporting log records failed");
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }

  /** Runs one export and tells {@code failed} its item count if it throws or completes failed. */
  private static CompletableResultCode counted(
      Supplier<CompletableResultCode> export,
      int count,
      LongConsumer failed,
      String key,
      String warning) {
    CompletableResultCode result;
    try {
      result = export.get();
    } catch (RuntimeException e) {
      failed.accept(count);
      AgentLog.warnOnce(key, warning, e);
      return CompletableResultCode.ofFailure();
    }
    result.whenComplete(
        () -> {
          if (!result.isSuccess()) {
            failed.accept(count);
          }
        });
    return result;
  }

  /**
   * Reads the batch span processor's own "dropped" counter: the SDK reports it to the meter
   * provider it was built with, and this reader is the only one on that provider.
   */
  static final class DropCounter implements MetricReader {
    private static final AttributeKey<Boolean> LEGACY_DROPPED = AttributeKey.booleanKey("dropped");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private volatile CollectionRegistration registration;

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    double dropped() {
      AgentThreads.claimLibraryThreads();
      CollectionRegistration r = registration;
      if (r == null) {
        return 0;
      }
      long total = 0;
      try {
        for (MetricData metric : r.collectAllMetrics()) {
          boolean legacy = metric.getName().equals("processedSpans");
          boolean latest = metric.getName().equals("otel.sdk.processor.span.processed");
          if (!legacy && !latest) {
            continue;
          }
          for (LongPointData point : metric.getLongSumData().getPoints()) {
            if (legacy
                ? Boolean.TRUE.equals(point.getAttributes().get(LEGACY_DROPPED))
                : point.getAttributes().get(ERROR_TYPE) != null) {
              total += point.getValue();
            }
          }
        }
      } catch (RuntimeException e) {
        AgentLog.warnOnce("span-drops", "reading the span processor's drop count failed", e);
      }
      return total;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
