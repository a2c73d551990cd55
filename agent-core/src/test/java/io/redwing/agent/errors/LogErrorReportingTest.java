package io.redwing.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.logs.ApplicationLogs;
import io.redwing.agent.telemetry.OperationDispatcher;
import io.redwing.agent.telemetry.RedMetrics;
import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.LogRecords;
import io.redwing.bootstrap.Operation;
import io.sentry.Sentry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Application log records reach a real envelope endpoint through the agent's whole path (the
 * dispatcher, the router, the reporter), scrubbed, once each.
 */
class LogErrorReportingTest {
  private final List<String> envelopes = new CopyOnWriteArrayList<>();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build();
  private final OperationDispatcher dispatcher =
      new OperationDispatcher(new RedMetrics("1", 100), sdk, "1", Set.of(), true);
  private HttpServer server;

  @AfterEach
  void stop() {
    Sentry.close();
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      if (handler.getClass().getSimpleName().equals("JulLogHandler")) {
        Logger.getLogger("").removeHandler(handler);
      }
    }
    server.stop(0);
    sdk.close();
  }

  private void start(String logLevel) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/1/envelope/",
        exchange -> {
          try (exchange) {
            InputStream body = exchange.getRequestBody();
            if ("gzip"
                .equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
              body = new GZIPInputStream(body);
            }
            envelopes.add(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.start();
    String dsn = "http://key@127.0.0.1:" + server.getAddress().getPort() + "/1";
    ConfigSources sources =
        ConfigSources.merge(
            null,
            Map.of("sentry.dsn", dsn, "redwing.sentry.log.level", logLevel),
            Map.of(),
            line -> {});
    SentrySettings settings = SentrySettings.from(sources, line -> {});
    ErrorReporter reporter = ErrorReporter.start(settings, "svc", "test");
    assertThat(reporter).isNotNull();
    dispatcher.reportErrorsTo(reporter);
    dispatcher.routeLogs(ApplicationLogs.start(reporter, settings.logSeverity(), null, 0));
  }

  private String sent() {
    Sentry.flush(5_000);
    return String.join("\n", envelopes);
  }

  private static int events(String all) {
    return all.split("\"type\":\"event\"", -1).length - 1;
  }

  private static HttpServerRequest get(String path) {
    return new HttpServerRequest(
        "test", "GET", "http", "localhost", 8080, path, null, null, null, null, null, null, null);
  }

  @Test
  void anErrorRecordBecomesOneScrubbedEventAndWarningsDoNot() throws Exception {
    start("error");
    Logger.getLogger("com.example.Payments")
        .log(Level.SEVERE, "payment failed for password=hunter2", new IllegalStateException("x"));
    Logger.getLogger("com.example.Payments").warning("slow payment provider");
    Logger.getLogger("io.redwing.shaded.io.opentelemetry.Exporter").severe("export failed");
    dispatcher.logRecord(LogRecords.ERROR, "com.example.Logback", "stock low, token=tok-1", null);

    String all = sent();
    assertThat(events(all)).as(all).isEqualTo(2);
    assertThat(all)
        .contains("com.example.Payments", "IllegalStateException", "password=[Filtered]")
        .contains("com.example.Logback", "token=[Filtered]")
        .doesNotContain("hunter2", "tok-1", "slow payment provider", "export failed");
  }

  @Test
  void switchedOffNoRecordBecomesAnEvent() throws Exception {
    start("off");
    Logger.getLogger("com.example.Payments").severe("payment failed");
    dispatcher.logRecord(LogRecords.FATAL, "com.example.Logback", "disk gone", null);

    assertThat(sent()).doesNotContain("\"type\":\"event\"");
  }

  @Test
  void anErrorLoggedAndThenThrownOutOfTheRequestIsOneEventWithTheRecordAsBreadcrumb()
      throws Exception {
    start("error");
    IllegalStateException failure = new IllegalStateException("declined");
    Operation request = dispatcher.startHttpServer(get("/pay"));
    dispatcher.logRecord(LogRecords.WARN, "com.example.Pay", "retrying the provider", null);
    dispatcher.logRecord(LogRecords.ERROR, "com.example.Pay", "payment p-9 failed", failure);
    dispatcher.endHttpServer(
        request, 500, "/pay", new RuntimeException("wrapped by the framework", failure));

    String all = sent();
    assertThat(events(all)).as(all).isEqualTo(1);
    assertThat(all)
        .contains("\"transaction\":\"GET /pay\"")
        .contains("retrying the provider", "payment p-9 failed", "\"logger\":\"com.example.Pay\"");
  }

  @Test
  void anErrorLoggedInARequestThatEndsOtherwiseIsSentAtItsEndWithTheRequestsTrace()
      throws Exception {
    start("error");
    Operation request = dispatcher.startHttpServer(get("/pay"));
    dispatcher.logRecord(LogRecords.WARN, "com.example.Pay", "retrying the provider", null);
    dispatcher.logRecord(
        LogRecords.ERROR, "com.example.Pay", "payment handled", new IllegalStateException("x"));
    dispatcher.endHttpServer(request, 200, "/pay", null);

    String all = sent();
    assertThat(events(all)).as(all).isEqualTo(1);
    assertThat(all)
        .contains("payment handled", "retrying the provider", "\"trace_id\":\"")
        .doesNotContain("GET /pay");
  }

  @Test
  void theContainerLoggingTheRequestsExceptionAfterItsEndIsNotASecondEvent() throws Exception {
    start("error");
    IllegalStateException failure = new IllegalStateException("declined");
    Operation request = dispatcher.startHttpServer(get("/pay"));
    dispatcher.endHttpServer(request, 500, "/pay", failure);
    Logger.getLogger("org.apache.catalina.core.StandardWrapperValve")
        .log(Level.SEVERE, "Servlet.service() threw exception", new RuntimeException(failure));
    Logger.getLogger("com.example.Other")
        .log(Level.SEVERE, "another failure", new IllegalArgumentException("other"));

    String all = sent();
    assertThat(events(all)).as(all).isEqualTo(2);
    assertThat(all).contains("GET /pay", "another failure").doesNotContain("Servlet.service()");
  }
}
