package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever goes wrong around the agent, the application answers exactly as without it. */
class FaultIT {

  private static final String COUNT = "http_server_request_duration_seconds_count";
  private static final Map<String, String> OWNERS_ROUTE = Map.of("http_route", "/owners/{id}");
  private static final int REQUESTS = 3;

  /** The agent's flush at exit (2 s at most) plus the demo's own shutdown, with room for CI. */
  private static final Duration EXIT_WITH_SPANS_PENDING = Duration.ofSeconds(6);

  @Test
  void collectorDownLeavesResponsesMetricsAndExitUnchanged() {
    String closedPort = "http://127.0.0.1:" + FreePort.find();
    try (Demo demo = Demo.withAgent("fault-collector-down", exportingTo(closedPort))) {
      serveOwners(demo);

      assertThat(awaitRecorded(demo).value(COUNT, OWNERS_ROUTE)).isEqualTo(REQUESTS);
      awaitExportFailureCounted(demo);
      Await.until(
          "a [redwing] line about the failed export",
          Await.EXPORT,
          () -> !exportFailureLines(demo).isEmpty());
      assertThat(exportFailureLines(demo)).hasSize(1);
      demo.getOk("/hello", "hello from the demo\n");

      // spans still to export when the JVM is told to stop: the exporter's retries against the
      // refusing port took about 10 s of the application's exit before the flush was bounded
      serveOwners(demo);
      assertThat(demo.app.terminate(EXIT_WITH_SPANS_PENDING))
          .as("exit code after SIGTERM")
          .isEqualTo(143);
    }
  }

  @Test
  void collectorAnswering500LeavesResponsesAndMetricsUnchanged() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      receiver.answerWith(500);
      try (Demo demo = Demo.withAgent("fault-collector-500", exportingTo(receiver.endpoint()))) {
        serveOwners(demo);

        assertThat(awaitRecorded(demo).value(COUNT, OWNERS_ROUTE)).isEqualTo(REQUESTS);
        Await.until("an export attempt", Await.EXPORT, () -> receiver.requests() > 0);
        awaitExportFailureCounted(demo);
        Await.until(
            "a [redwing] line about the failed export",
            Await.EXPORT,
            () -> !exportFailureLines(demo).isEmpty());
        double failures = exportFailures(demo);
        serveOwners(demo);
        Await.until(
            "a second failed export counted", Await.EXPORT, () -> exportFailures(demo) > failures);
        assertThat(exportFailureLines(demo))
            .as("repeated failures are counted, not logged")
            .hasSize(1);
        assertThat(receiver.spans()).isEmpty();
        demo.getOk("/hello", "hello from the demo\n");
      }
    }
  }

  @Test
  void prometheusPortInUseGivesOneLineAndTheAppServes() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
      String port = Integer.toString(taken.getLocalPort());
      try (Demo demo =
          Demo.withAgentNotAwaitingReady(
              "fault-port-in-use", Map.of("OTEL_EXPORTER_PROMETHEUS_PORT", port))) {
        serveOwners(demo);

        Await.until(
            "a [redwing] line naming port " + port,
            Await.STARTUP,
            () -> !portLines(demo, port).isEmpty());
        assertThat(portLines(demo, port))
            .singleElement()
            .satisfies(
                line -> assertThat(namesKey(line, "OTEL_EXPORTER_PROMETHEUS_PORT")).isTrue());
        serveOwners(demo);
      }
    }
  }

  static Stream<Arguments> badValues() {
    Path missingFile = Artifacts.workDirectory("fault").resolve("no-such-redwing.properties");
    return Stream.of(
        Arguments.of("OTEL_EXPORTER_PROMETHEUS_PORT", "abc"),
        Arguments.of("OTEL_TRACES_SAMPLER", "nope"),
        Arguments.of("OTEL_EXPORTER_OTLP_ENDPOINT", "::bad::"),
        Arguments.of("REDWING_CONFIG_FILE", missingFile.toString()));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badValues")
  void badValueGivesOneLineNamingTheKeyAndTheAppRuns(String key, String value) {
    try (Demo demo =
        Demo.withAgentNotAwaitingReady(
            "fault-bad-" + key.toLowerCase(Locale.ROOT), Map.of(key, value))) {
      serveOwners(demo);

      Await.until(
          "a [redwing] line naming " + key + " and " + value,
          Await.STARTUP,
          () -> !keyLines(demo, key, value).isEmpty());
      // Let the agent's start-up finish, so that a second line would have been printed by now.
      // With port "abc" the agent falls back to 9464, which may be taken on this machine.
      if (!key.equals("OTEL_EXPORTER_PROMETHEUS_PORT")) {
        demo.awaitReady();
      } else {
        demo.app.awaitOutput("[redwing] agent", Await.STARTUP);
      }
      assertThat(keyLines(demo, key, value)).as("stderr:\n%s", demo.app.stderr()).hasSize(1);
      serveOwners(demo);
    }
  }

  /**
   * What the application sets for its own Prometheus client (variables, a config file, a system
   * property) does not reach the agent's relocated copy: one such variable used to stop the agent
   * before it served anything.
   */
  @Test
  void theApplicationsPrometheusClientSettingsDoNotReachTheAgent() {
    Path missing = Artifacts.workDirectory("fault").resolve("no-such-prometheus.properties");
    try (Demo demo =
        Demo.withAgent(
            "fault-app-prometheus-settings",
            Map.of(
                "IO_PROMETHEUS_METRICS_HISTOGRAM_CLASSIC_ONLY", "true",
                "IO_PROMETHEUS_METRICS_EXEMPLARS_ENABLED", "false",
                "PROMETHEUS_CONFIG", missing.toString()),
            "-Dprometheus.config=" + missing)) {
      serveOwners(demo);

      assertThat(awaitRecorded(demo).valueOrZero(COUNT, OWNERS_ROUTE)).isEqualTo(REQUESTS);
      // The agent prints its start-up line after its endpoint has started answering /ready.
      demo.app.awaitOutput("[redwing] agent", Await.STARTUP);
      assertThat(agentLines(demo))
          .as("stderr:\n%s", demo.app.stderr())
          .singleElement()
          .satisfies(
              line -> assertThat(line).startsWith("[redwing] agent ").contains(" started in "));
    }
  }

  private static Map<String, String> exportingTo(String endpoint) {
    return Map.of(
        "OTEL_TRACES_EXPORTER", "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint,
        "OTEL_BSP_SCHEDULE_DELAY", "100");
  }

  private static void serveOwners(Demo demo) {
    for (int id = 1; id <= REQUESTS; id++) {
      demo.getOk("/owners/" + id, "{\"id\":" + id + ",\"name\":\"Owner " + id + "\"}");
    }
  }

  private static Scrape awaitRecorded(Demo demo) {
    return Await.value(
        REQUESTS + " requests recorded",
        Await.EXPORT,
        () -> {
          Scrape scrape = demo.scrape();
          return scrape.valueOrZero(COUNT, OWNERS_ROUTE) >= REQUESTS ? scrape : null;
        });
  }

  private static void awaitExportFailureCounted(Demo demo) {
    Await.until(
        "redwing_span_export_failures_total > 0", Await.EXPORT, () -> exportFailures(demo) > 0);
  }

  private static double exportFailures(Demo demo) {
    return demo.scrape().value("redwing_span_export_failures_total", Map.of());
  }

  private static List<String> agentLines(Demo demo) {
    return demo.app.stderrLines().stream()
        .filter(line -> line.contains("[redwing]"))
        .collect(Collectors.toList());
  }

  private static List<String> exportFailureLines(Demo demo) {
    return agentLines(demo).stream()
        .filter(line -> line.toLowerCase(Locale.ROOT).contains("export"))
        .collect(Collectors.toList());
  }

  private static List<String> portLines(Demo demo, String port) {
    return agentLines(demo).stream()
        .filter(line -> line.contains(port))
        .collect(Collectors.toList());
  }

  private static List<String> keyLines(Demo demo, String key, String value) {
    return agentLines(demo).stream()
        .filter(line -> namesKey(line, key) && line.contains(value))
        .collect(Collectors.toList());
  }

  /** True if the line names the key in its environment or its system-property spelling. */
  private static boolean namesKey(String line, String envKey) {
    String property = envKey.toLowerCase(Locale.ROOT).replace('_', '.');
    return line.contains(envKey) || line.contains(property);
  }
}
