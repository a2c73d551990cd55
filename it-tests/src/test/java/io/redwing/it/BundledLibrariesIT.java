package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An application that bundles its own, older OpenTelemetry SDK, Prometheus client, Byte Buddy and
 * SLF4J runs with the agent: both its libraries and the agent's relocated copies work side by side.
 */
class BundledLibrariesIT {

  private static final String MAIN = "io.redwing.it.bundled.BundledApp";
  private static final int REQUESTS = 3;

  @Test
  void applicationLibrariesAndAgentBothWork() {
    List<Path> libraries = bundledJars();
    Path classes = compileBundledApp(libraries);
    String classPath = AppCompiler.classPath(classes, libraries);
    int port = FreePort.find();
    int ownMetricsPort = FreePort.find();
    int agentMetricsPort = FreePort.find();

    try (OtlpReceiver receiver = OtlpReceiver.start();
        ForkedApp app =
            ForkedApp.builder("bundled-libraries")
                .javaagent(Artifacts.agentJar(), null)
                .env(
                    Map.of(
                        "OTEL_EXPORTER_PROMETHEUS_PORT",
                        Integer.toString(agentMetricsPort),
                        "OTEL_TRACES_EXPORTER",
                        "otlp",
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        receiver.endpoint(),
                        "OTEL_BSP_SCHEDULE_DELAY",
                        "100"))
                .mainClass(classPath, MAIN)
                .arg(Integer.toString(port))
                .arg(Integer.toString(ownMetricsPort))
                .start()) {
      app.awaitOutput("bundled app listening on port " + port, Await.STARTUP);
      String agentUrl = "http://127.0.0.1:" + agentMetricsPort;
      app.awaitAgentReady(agentMetricsPort);

      for (int i = 0; i < REQUESTS; i++) {
        var response = Http.get("http://127.0.0.1:" + port + "/work");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("work done\n");
      }

      // The application's side: its own library versions, spans, counter, generated class, logs.
      // stdout and stderr are read by threads of their own: a line awaited on one stream vouches
      // only for what the app printed before it on that same stream.
      Await.until(
          REQUESTS + " app spans",
          Await.EXPORT,
          () ->
              app.stdout().lines().filter(l -> l.startsWith("app-span app-work ")).count()
                  == REQUESTS);
      assertThat(app.stdout())
          .contains("bundled-libs/opentelemetry-api-1.40.0.jar")
          .contains("bundled-libs/opentelemetry-sdk-trace-1.40.0.jar")
          .contains("bundled-libs/prometheus-metrics-core-1.3.1.jar")
          .contains("bundled-libs/byte-buddy-1.14.19.jar")
          .contains("app-span app-startup trace ")
          .contains("byte-buddy: made by the app's own Byte Buddy");
      Await.until(
          "the work requests' log lines on stderr",
          Await.EXPORT,
          () ->
              app.stderr().contains("INFO io.redwing.it.bundled.BundledApp - work request /work"));
      assertThat(app.stderr())
          .contains("INFO io.redwing.it.bundled.BundledApp - bundled app listening on port " + port)
          .contains("INFO io.redwing.it.bundled.BundledApp - work request /work")
          .doesNotContain("SLF4J: No SLF4J providers were found");
      Scrape own = Scrape.of("http://127.0.0.1:" + ownMetricsPort + "/metrics");
      assertThat(own.value("bundled_app_requests_total", Map.of())).isEqualTo(REQUESTS);
      assertThat(own.samples("http_server_request_duration_seconds_count")).isEmpty();

      // The agent's side: the request counted on its own endpoint and exported as a server span.
      Scrape agent =
          Await.value(
              REQUESTS + " requests recorded by the agent",
              Await.EXPORT,
              () -> {
                Scrape s = Scrape.of(agentUrl + "/metrics");
                return s.valueOrZero(
                            "http_server_request_duration_seconds_count",
                            Map.of("http_route", "/work"))
                        >= REQUESTS
                    ? s
                    : null;
              });
      assertThat(
              agent.value(
                  "http_server_request_duration_seconds_count", Map.of("http_route", "/work")))
          .isEqualTo(REQUESTS);
      assertThat(agent.samples("bundled_app_requests_total")).isEmpty();
      assertThat(
              receiver.awaitSpans(
                  "GET /work", REQUESTS, s -> s.span().getName().equals("GET /work")))
          .hasSize(REQUESTS);
      assertThat(app.isAlive()).isTrue();
    }
  }

  private static List<Path> bundledJars() {
    List<Path> jars = AppCompiler.jarsIn(Artifacts.bundledLibraries());
    assertThat(jars).hasSizeGreaterThanOrEqualTo(4);
    return jars;
  }

  private static Path compileBundledApp(List<Path> libraries) {
    return AppCompiler.compile(Artifacts.bundledSources(), "bundled-app-classes", libraries);
  }
}
