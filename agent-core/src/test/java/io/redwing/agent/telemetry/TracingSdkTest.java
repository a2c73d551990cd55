package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.config.RedwingConfig;
import io.redwing.agent.log.AgentLogCapture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TracingSdkTest {
  private final RedMetrics metrics = new RedMetrics("1.2.3", 100);
  private final List<String> problems = new ArrayList<>();

  private RedwingConfig config(Map<String, String> properties) {
    return RedwingConfig.from(
        ConfigSources.merge(null, properties, Map.of(), problems::add), problems::add);
  }

  private double scraped(String name) throws Exception {
    String text = PrometheusTextFormatWriter.create().toDebugString(metrics.registry().scrape());
    return text.lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
        .findFirst()
        .orElseThrow();
  }

  /** A collector answering every request with {@code status}, noting the paths asked for. */
  private static HttpServer collector(int status, List<String> received) throws IOException {
    HttpServer collector =
        HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext(
        "/",
        exchange -> {
          received.add(exchange.getRequestURI().getPath());
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    collector.start();
    return collector;
  }

  @Test
  void aConfigurationTheSdkRejectsIsOneLineAndTracesAreNotExported() throws Exception {
    List<String> lines =
        AgentLogCapture.linesWhile(
            () -> {
              try (TracingSdk sdk =
                  TracingSdk.create(
                      config(Map.of("otel.exporter.otlp.headers", "no-equals-sign")), metrics)) {
                assertThat(sdk.exporterState()).isEqualTo("none (configuration error)");
                assertThat(
                        sdk.openTelemetry()
                            .getTracer("t")
                            .spanBuilder("s")
                            .startSpan()
                            .getSpanContext()
                            .isValid())
                    .isTrue();
              }
            });
    assertThat(lines)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("[redwing] OpenTelemetry configuration rejected: ")
                    .contains("otel.exporter.otlp.headers")
                    .endsWith("; traces are not exported (OTEL_TRACES_EXPORTER=none)"));
  }

  @Test
  void theRejectedValueIsNotRepeatedWhenItMayHoldASecret() throws Exception {
    List<String> lines =
        AgentLogCapture.linesWhile(
            () -> {
              try (TracingSdk sdk =
                  TracingSdk.create(
                      config(
                          Map.of(
                              "otel.exporter.otlp.headers",
                              "Authorization=Bearer s3cr3t-token,broken")),
                      metrics)) {
                assertThat(sdk.exporterState()).isEqualTo("none (configuration error)");
              }
            });
    assertThat(String.join("\n", lines))
        .contains("OpenTelemetry configuration rejected", "otel.exporter.otlp.headers")
        .doesNotContain("s3cr3t");
  }

  @Test
  void theSdkIsNeverTheGlobalOne() {
    try (TracingSdk sdk =
        TracingSdk.create(config(Map.of("otel.traces.exporter", "none")), metrics)) {
      assertThat(io.opentelemetry.api.GlobalOpenTelemetry.get()).isNotSameAs(sdk.openTelemetry());
      assertThat(sdk.exporterState()).isEqualTo("none");
    }
  }

  @Test
  void failedExportsAndSpansDroppedByAFullQueueAreCounted() throws Exception {
    HttpServer collector = collector(500, new CopyOnWriteArrayList<>());
    try (TracingSdk sdk =
        TracingSdk.create(
            config(
                Map.of(
                    "otel.exporter.otlp.endpoint",
                    "http://127.0.0.1:" + collector.getAddress().getPort(),
                    "otel.bsp.max.queue.size",
                    "1",
                    "otel.bsp.max.export.batch.size",
                    "1",
                    "otel.bsp.schedule.delay",
                    "10")),
            metrics)) {
      Tracer tracer = sdk.openTelemetry().getTracer("t");
      for (int i = 0; i < 200; i++) {
        tracer.spanBuilder("s" + i).startSpan().end();
      }
      ((OpenTelemetrySdk) sdk.openTelemetry())
          .getSdkTracerProvider()
          .forceFlush()
          .join(10, TimeUnit.SECONDS);

      assertThat(problems).isEmpty();
      assertThat(scraped(RedMetrics.SPANS_DROPPED)).isPositive();
      assertThat(scraped(RedMetrics.SPAN_EXPORT_FAILURES)).isPositive();
      assertThat(scraped(RedMetrics.SPANS_DROPPED) + scraped(RedMetrics.SPAN_EXPORT_FAILURES))
          .isLessThanOrEqualTo(200);
    } finally {
      collector.stop(0);
    }
  }

  @Test
  void logRecordsTheCollectorRejectsAreCountedAsLogExportFailures() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer collector = collector(500, received);
    Map<String, String> properties = new HashMap<>();
    properties.put(
        "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort());
    properties.put("otel.traces.exporter", "none");
    properties.put("otel.logs.exporter", "otlp");
    properties.put("otel.blrp.schedule.delay", "600000");
    try (TracingSdk sdk = TracingSdk.create(config(properties), metrics)) {
      for (int i = 0; i < 3; i++) {
        sdk.logsBridge().get("app.Orders").logRecordBuilder().setBody("order " + i).emit();
      }
      ((OpenTelemetrySdk) sdk.openTelemetry())
          .getSdkLoggerProvider()
          .forceFlush()
          .join(10, TimeUnit.SECONDS);

      assertThat(problems).isEmpty();
      assertThat(received).containsExactly("/v1/logs");
      assertThat(scraped(RedMetrics.LOG_EXPORT_FAILURES)).isEqualTo(3);
      assertThat(scraped(RedMetrics.SPAN_EXPORT_FAILURES)).isZero();
    } finally {
      collector.stop(0);
    }
  }

  @Test
  void logRecordsGoToV1LogsOnlyWhenTheLogsExporterIsOtlpAndAreFlushedOnClose() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer collector = collector(200, received);
    Map<String, String> properties = new HashMap<>();
    properties.put(
        "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort());
    properties.put("otel.traces.exporter", "none");
    try {
      try (TracingSdk sdk = TracingSdk.create(config(properties), metrics)) {
        assertThat(sdk.logsBridge()).as("the default: no logs pipeline").isNull();
      }
      properties.put("otel.logs.exporter", "otlp");
      // nothing goes out on its own before close: only the flush on close sends the record
      properties.put("otel.blrp.schedule.delay", "600000");
      TracingSdk sdk = TracingSdk.create(config(properties), new RedMetrics("1.2.3", 100));
      sdk.logsBridge().get("app.Orders").logRecordBuilder().setBody("order 7 placed").emit();
      assertThat(received).isEmpty();

      sdk.close();

      assertThat(problems).isEmpty();
      assertThat(received).containsExactly("/v1/logs");
    } finally {
      collector.stop(0);
    }
  }
}
