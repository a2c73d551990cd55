package io.redwing.it;

import static io.redwing.it.OtlpReceiver.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An application logging through real Logback and real Log4j2 (LoggingApp) in a forked JVM with the
 * agent: its ERROR records reach a real Sentry envelope receiver once each, scrubbed, with the
 * request's trace and its WARN records as breadcrumbs; with {@code OTEL_LOGS_EXPORTER=otlp} its
 * records reach a real OTLP receiver with the server span's trace and span ids.
 */
class LogsIT {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String EXCEPTIONS = "redwing_exceptions_total";
  private static final List<String> APP_LIBRARIES =
      List.of(
          "tomcat-",
          "logback-",
          "slf4j-api-",
          "log4j-api-",
          "log4j-core-",
          "disruptor-",
          "jul-to-slf4j-");

  /** The forked app, its port and its agent's metrics port. */
  private record App(ForkedApp process, int port, int metricsPort) implements AutoCloseable {
    HttpResponse<String> get(String path, String... headers) {
      return Http.get("http://127.0.0.1:" + port + path, headers);
    }

    Scrape scrape() {
      return Scrape.of("http://127.0.0.1:" + metricsPort + "/metrics");
    }

    @Override
    public void close() {
      process.close();
    }
  }

  private static App start(String name, String dsn, Map<String, String> env) {
    return start(name, dsn, env, List.of());
  }

  private static App start(String name, String dsn, Map<String, String> env, List<String> jvmArgs) {
    int port = FreePort.find();
    int metricsPort = FreePort.find();
    Path work = Artifacts.workDirectory(name);
    ForkedApp.Builder builder = ForkedApp.builder(name);
    jvmArgs.forEach(builder::jvmArg);
    ForkedApp process =
        builder
            .javaagent(Artifacts.agentJar(), null)
            .env(dsn != null ? Map.of("SENTRY_DSN", dsn) : Map.of())
            .env("OTEL_TRACES_EXPORTER", "none")
            .env("OTEL_SERVICE_NAME", "logging-app")
            .env("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(metricsPort))
            .env(env)
            // Log4j2's default configuration would drop WARN records
            .jvmArg("-Dorg.apache.logging.log4j.level=INFO")
            .mainClass(
                Artifacts.testClassPathWith(APP_LIBRARIES), "io.redwing.it.logapp.LoggingApp")
            .arg(Integer.toString(port))
            .arg(work.toAbsolutePath().toString())
            .start();
    App app = new App(process, port, metricsPort);
    process.awaitOutput("logging app listening on port " + port, Await.STARTUP);
    process.awaitAgentReady(metricsPort);
    return app;
  }

  private static String message(JsonNode event) {
    return event.path("message").path("formatted").asText();
  }

  private static List<JsonNode> eventsContaining(SentryReceiver receiver, String text) {
    return receiver.events().stream()
        .filter(e -> message(e).contains(text) || e.toString().contains(text))
        .collect(Collectors.toList());
  }

  /**
   * Envelopes go out in order from one queue: once an event sent after everything else arrived,
   * whatever the earlier records produced has arrived too.
   */
  private static void awaitSentinel(App app, SentryReceiver receiver) {
    assertThat(app.get("/background?lib=logback&what=sentinel").statusCode()).isEqualTo(200);
    Await.until(
        "the sentinel event (bodies so far: " + receiver.allBodies() + ")",
        Await.EXPORT,
        () -> !eventsContaining(receiver, "nightly job failed sentinel").isEmpty());
  }

  @Test
  void errorsLoggedInsideAndOutsideRequestsAreOneScrubbedEventEach() {
    try (SentryReceiver receiver = SentryReceiver.start();
        App app = start("logs-sentry", receiver.dsn(), Map.of())) {
      for (String lib : List.of("logback", "log4j2")) {
        assertThat(
                app.get(
                        "/log?lib=" + lib + "&what=in-request",
                        "traceparent",
                        "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                    .statusCode())
            .isEqualTo(200);
        assertThat(app.get("/background?lib=" + lib + "&what=outside").statusCode()).isEqualTo(200);
      }
      awaitSentinel(app, receiver);

      assertThat(receiver.events()).as(receiver.allBodies()).hasSize(5);
      for (String lib : List.of("logback", "log4j2")) {
        JsonNode inRequest =
            assertThat(eventsContaining(receiver, lib + " payment failed"))
                .singleElement()
                .actual();
        assertThat(message(inRequest))
            .isEqualTo(lib + " payment failed for password=[Filtered] in-request");
        assertThat(inRequest.path("logger").asText()).isEqualTo("app." + lib + ".Orders");
        assertThat(inRequest.path("level").asText()).isEqualTo("error");
        assertThat(inRequest.path("exception").path("values").get(0).path("value").asText())
            .isEqualTo(lib + " in-request failure");
        assertThat(inRequest.path("tags").path("trace_id").asText()).isEqualTo(TRACE_ID);
        assertThat(inRequest.path("contexts").path("trace").path("trace_id").asText())
            .isEqualTo(TRACE_ID);
        assertThat(inRequest.path("breadcrumbs").toString())
            .as("the WARN before the error")
            .contains(lib + " stock is low for order 7");

        JsonNode outside =
            assertThat(eventsContaining(receiver, lib + " nightly job failed outside"))
                .singleElement()
                .actual();
        assertThat(outside.path("tags").has("trace_id")).isFalse();
        assertThat(outside.path("exception").path("values").get(0).path("value").asText())
            .isEqualTo(lib + " outside failure");
      }
      assertThat(receiver.allBodies()).doesNotContain("hunter2");
      assertThat(app.scrape().samples(EXCEPTIONS))
          .as("logged errors are not exceptions that ended requests")
          .isEmpty();
    }
  }

  /** Asks for {@code /log} inside a trace; its ERROR record's event, which must be the only one. */
  private static JsonNode loggedInRequest(
      App app, SentryReceiver receiver, String lib, String what) {
    assertThat(
            app.get(
                    "/log?lib=" + lib + "&what=" + what,
                    "traceparent",
                    "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                .statusCode())
        .isEqualTo(200);
    awaitSentinel(app, receiver);
    return assertThat(eventsContaining(receiver, lib + " payment failed"))
        .as(receiver.allBodies())
        .singleElement()
        .actual();
  }

  @Test
  void anErrorThroughAFullyAsyncLog4j2LoggerIsOneEventWithTheRequestsTraceAndIdsInTheOutput()
      throws Exception {
    Path config = Artifacts.workDirectory("logs-async-config").resolve("log4j2-async.xml");
    Files.writeString(
        config,
        """
        <Configuration status="WARN">
          <Appenders>
            <Console name="out" target="SYSTEM_OUT">
              <PatternLayout pattern="async-line trace_id=%X{trace_id} %m%n"/>
            </Console>
          </Appenders>
          <Loggers>
            <Root level="INFO"><AppenderRef ref="out"/></Root>
          </Loggers>
        </Configuration>
        """);
    try (SentryReceiver receiver = SentryReceiver.start();
        App app =
            start(
                "logs-async",
                receiver.dsn(),
                Map.of(),
                List.of(
                    "-Dlog4j2.contextSelector="
                        + "org.apache.logging.log4j.core.async.AsyncLoggerContextSelector",
                    "-Dlog4j2.configurationFile=" + config.toAbsolutePath()))) {
      JsonNode event = loggedInRequest(app, receiver, "log4j2", "async");
      assertThat(event.path("tags").path("trace_id").asText()).isEqualTo(TRACE_ID);
      assertThat(event.path("contexts").path("trace").path("trace_id").asText())
          .isEqualTo(TRACE_ID);
      assertThat(event.path("breadcrumbs").toString()).contains("log4j2 stock is low for order 7");
      app.process()
          .awaitOutput("async-line trace_id=" + TRACE_ID + " log4j2 payment failed", Await.STARTUP);
    }
  }

  @Test
  void aJulErrorBridgedIntoLogbackIsOneEventWithTheRequestsTrace() {
    try (SentryReceiver receiver = SentryReceiver.start();
        App app =
            start(
                "logs-jul-bridge", receiver.dsn(), Map.of(), List.of("-Dlogapp.julBridge=true"))) {
      JsonNode event = loggedInRequest(app, receiver, "jul", "bridged");
      assertThat(event.path("logger").asText()).isEqualTo("app.jul.Orders");
      assertThat(event.path("exception").path("values").get(0).path("value").asText())
          .isEqualTo("jul bridged failure");
      assertThat(event.path("tags").path("trace_id").asText()).isEqualTo(TRACE_ID);
      assertThat(event.path("breadcrumbs").toString())
          .as("the WARN before the error, once")
          .containsOnlyOnce("jul stock is low for order 7");
      assertThat(receiver.events()).as(receiver.allBodies()).hasSize(2);
    }
  }

  @Test
  void anErrorLoggedAndThrownOutOfTheRequestIsOneEvent() {
    try (SentryReceiver receiver = SentryReceiver.start();
        App app = start("logs-thrown", receiver.dsn(), Map.of())) {
      assertThat(app.get("/fail?lib=log4j2&what=thrown").statusCode()).isEqualTo(500);
      awaitSentinel(app, receiver);

      List<JsonNode> events = eventsContaining(receiver, "log4j2 thrown failure");
      assertThat(events).as(receiver.allBodies()).hasSize(1);
      JsonNode event = events.get(0);
      assertThat(event.path("transaction").asText()).isEqualTo("GET /fail");
      assertThat(event.path("breadcrumbs").toString())
          .contains("log4j2 payment failed, giving up thrown");
      assertThat(receiver.events()).hasSize(2);
      assertThat(app.scrape().valueOrZero(EXCEPTIONS, Map.of("http_route", "/fail")))
          .isEqualTo(1.0);
    }
  }

  @Test
  void switchedOffLoggedErrorsAreNotEvents() {
    try (SentryReceiver receiver = SentryReceiver.start();
        App app = start("logs-off", receiver.dsn(), Map.of("REDWING_SENTRY_LOG_LEVEL", "off"))) {
      for (String lib : List.of("logback", "log4j2")) {
        assertThat(app.get("/log?lib=" + lib + "&what=off").statusCode()).isEqualTo(200);
        assertThat(app.get("/background?lib=" + lib + "&what=off").statusCode()).isEqualTo(200);
      }
      // the request's own failure is still reported: it is the sign that the others would be too
      assertThat(app.get("/fail?lib=logback&what=off").statusCode()).isEqualTo(500);
      Await.until(
          "the failed request's event (bodies so far: " + receiver.allBodies() + ")",
          Await.EXPORT,
          () -> !eventsContaining(receiver, "GET /fail").isEmpty());

      assertThat(receiver.events()).as(receiver.allBodies()).hasSize(1);
      assertThat(receiver.allBodies()).doesNotContain("payment failed for", "nightly job");
    }
  }

  @Test
  void withTheOtlpLogsExporterRecordsGoOutWithTheServerSpansIdsFromInfoUp() {
    OtlpReceiver otlp = OtlpReceiver.start();
    try (otlp) {
      try (App app =
          start(
              "logs-otlp",
              null,
              Map.of(
                  "OTEL_LOGS_EXPORTER", "otlp",
                  "OTEL_TRACES_EXPORTER", "otlp",
                  "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(),
                  "OTEL_BLRP_SCHEDULE_DELAY", "100",
                  "OTEL_BSP_SCHEDULE_DELAY", "100"))) {
        for (String lib : List.of("logback", "log4j2")) {
          assertThat(
                  app.get(
                          "/log?lib=" + lib + "&what=otlp",
                          "traceparent",
                          "00-" + traceId(lib) + "-00f067aa0ba902b7-01")
                      .statusCode())
              .isEqualTo(200);
          assertThat(app.get("/background?lib=" + lib + "&what=otlp").statusCode()).isEqualTo(200);
        }
        for (String lib : List.of("logback", "log4j2")) {
          String serverSpanId =
              hex(
                  otlp.awaitSpans(
                          "the /log server span",
                          1,
                          s ->
                              hex(s.span().getTraceId()).equals(traceId(lib))
                                  && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                      .get(0)
                      .span()
                      .getSpanId());
          assertThat(serverSpanId).isNotEqualTo("00f067aa0ba902b7");

          for (String body :
              List.of(
                  lib + " order 7 placed otlp",
                  lib + " stock is low for order 7",
                  lib + " payment failed for password=[Filtered] otlp")) {
            OtlpReceiver.ReceivedLog log = assertThat(otlp.awaitLog(body)).singleElement().actual();
            assertThat(log.scope()).isEqualTo("app." + lib + ".Orders");
            assertThat(log.traceId()).isEqualTo(traceId(lib));
            assertThat(log.spanId()).isEqualTo(serverSpanId);
            assertThat(log.resourceAttribute("service.name")).isEqualTo("logging-app");
          }
          OtlpReceiver.ReceivedLog error =
              otlp.awaitLog(lib + " payment failed for password=[Filtered] otlp").get(0);
          assertThat(error.log().getSeverityNumber())
              .isEqualTo(SeverityNumber.SEVERITY_NUMBER_ERROR);
          assertThat(error.log().getSeverityText()).isEqualTo("ERROR");
          assertThat(error.attribute("exception.type"))
              .isEqualTo("java.lang.IllegalStateException");
          assertThat(error.attribute("exception.message")).isEqualTo(lib + " otlp failure");
          assertThat(error.attribute("exception.stacktrace"))
              .contains("at io.redwing.it.logapp.LoggingApp");
          assertThat(
                  otlp.awaitLog(lib + " stock is low for order 7").get(0).log().getSeverityText())
              .isEqualTo("WARN");

          OtlpReceiver.ReceivedLog outside = otlp.awaitLog(lib + " nightly job failed otlp").get(0);
          assertThat(outside.traceId()).as("logged outside any request").isEmpty();
          assertThat(outside.spanId()).isEmpty();
        }
      }
      // the app has stopped and flushed: nothing more arrives, and DEBUG never did
      assertThat(otlp.bodies())
          .as("Logback's DEBUG record, below the default export level INFO")
          .noneMatch(body -> body.contains("cache miss"))
          .noneMatch(body -> body.contains("hunter2"));
    }
  }

  @Test
  void withoutTheLogsExporterNoLogsAreSentOverOtlp() {
    OtlpReceiver otlp = OtlpReceiver.start();
    try (otlp) {
      try (App app =
          start(
              "logs-otlp-off",
              null,
              Map.of(
                  "OTEL_TRACES_EXPORTER",
                  "otlp",
                  "OTEL_EXPORTER_OTLP_ENDPOINT",
                  otlp.endpoint()))) {
        assertThat(app.get("/log?lib=logback&what=default").statusCode()).isEqualTo(200);
      }
      // stopping flushed whatever was pending: the span went out, records had nowhere to go
      assertThat(otlp.spans()).isNotEmpty();
      assertThat(otlp.logRequests()).isZero();
    }
  }

  /** One trace per library, so that each record can be matched to its own server span. */
  private static String traceId(String lib) {
    return lib.equals("logback") ? TRACE_ID : "4bf92f3577b34da6a3ce929d0e0e4737";
  }
}
