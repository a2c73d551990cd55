package io.redwing.it;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever goes wrong around the agent, the application answers exactly as without it. */
class FaultIT {

  private static final String COUNT = "http_server_request_duration_seconds_count";
  private static final Map<String, String> OWNERS_ROUTE = Map.of("http_route", "/owners/{id}");
  private static final int REQUESTS = 3;

  /** The agent's flush at exit (2 s at most) plus the demo's own shutdown, with room for CI. */
  private static final Duration EXIT_WITH_SPANS_PENDING = Duration.ofSeconds(6);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The fields the README names for {@code REDWING_LOGS_JSON=true}. */
  private static final Set<String> JSON_FIELDS =
      Set.of("timestamp", "level", "logger", "message", "error.type", "error.message");

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
      assertThat(exportFailureLines(demo))
          .singleElement(as(InstanceOfAssertFactories.STRING))
          .as("where the spans went and what went wrong")
          .contains("spans could not be exported to " + closedPort + "/v1/traces")
          .contains("the connection was refused");
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
            .singleElement(as(InstanceOfAssertFactories.STRING))
            .contains("spans could not be exported to " + receiver.endpoint() + "/v1/traces")
            .contains("HTTP status code 500");
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

  /**
   * {@code OTEL_SDK_DISABLED=true} turns tracing off and nothing else. Stopping the demo flushes
   * whatever spans are pending, so once it has exited the receiver has all it will ever get; the
   * run with the SDK on, identical but for the setting, shows that this does deliver the spans.
   */
  @ParameterizedTest(name = "OTEL_SDK_DISABLED={0}")
  @ValueSource(booleans = {false, true})
  void theSdkSwitchTurnsOffSpansButNotResponsesOrMetrics(boolean disabled) {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      Map<String, String> env = new HashMap<>(exportingTo(receiver.endpoint()));
      env.put("OTEL_SDK_DISABLED", Boolean.toString(disabled));
      try (Demo demo = Demo.withAgent("fault-sdk-disabled-" + disabled, env)) {
        serveOwners(demo);
        demo.getOk("/hello", "hello from the demo\n");

        assertThat(awaitRecorded(demo).value(COUNT, OWNERS_ROUTE)).isEqualTo(REQUESTS);
        assertThat(demo.app.terminate(EXIT_WITH_SPANS_PENDING))
            .as("exit code after SIGTERM")
            .isEqualTo(143);
      }
      if (disabled) {
        assertThat(receiver.requests()).as("OTLP requests (spans: %s)", receiver.names()).isZero();
      } else {
        assertThat(
                receiver.spans(
                    s -> OWNERS_ROUTE.get("http_route").equals(s.attribute("http.route"))))
            .as("the control run's spans: %s", receiver.names())
            .hasSize(REQUESTS);
      }
    }
  }

  /**
   * With {@code REDWING_LOGS_JSON=true} every line the agent prints is one JSON object: a bad
   * setting's warning (printed while the settings are read), a malformed DSN's warning (printed
   * after) and the start-up line.
   */
  @Test
  void withJsonLogsEachAgentLineIsOneJsonObjectWithTheDocumentedFields() {
    Instant before = Instant.now();
    try (Demo demo =
        Demo.withAgent(
            "fault-json-logs",
            Map.of(
                "REDWING_LOGS_JSON", "true",
                "OTEL_TRACES_SAMPLER", "nope",
                "SENTRY_DSN", "not a dsn"))) {
      serveOwners(demo);

      JsonNode started =
          Await.value(
              "the start-up line as JSON",
              Await.STARTUP,
              () -> jsonLine(demo, m -> m.startsWith("agent ") && m.contains(" started in ")));
      assertThat(level(started)).isEqualTo("INFO");
      assertThat(level(jsonLine(demo, m -> namesKey(m, "SENTRY_DSN") && m.contains("not a dsn"))))
          .as("the level of the malformed DSN's JSON line; stderr:\n%s", demo.app.stderr())
          .isEqualTo("WARN");
      List<JsonNode> lines = jsonLines(demo);
      assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
      for (JsonNode line : lines) {
        assertThat(line.isObject()).as("%s", line).isTrue();
        assertThat(fieldNames(line))
            .as("%s", line)
            .contains("timestamp", "level", "logger", "message")
            .isSubsetOf(JSON_FIELDS);
        assertThat(line.path("logger").asText()).as("%s", line).isEqualTo("redwing");
        assertThat(line.path("level").asText())
            .as("%s", line)
            .isIn("ERROR", "WARN", "INFO", "DEBUG");
        assertThat(line.path("message").isTextual()).as("%s", line).isTrue();
        assertThat(Instant.parse(line.path("timestamp").asText()))
            .as("%s", line)
            .isBetween(before, Instant.now());
      }

      assertThat(agentLines(demo)).as("agent lines left in the text format").isEmpty();
      assertThat(
              level(
                  jsonLine(
                      demo, m -> namesKey(m, "OTEL_TRACES_SAMPLER") && m.contains("\"nope\""))))
          .as("the level of the bad sampler's JSON line; stderr:\n%s", demo.app.stderr())
          .isEqualTo("WARN");
    }
  }

  /** The agent's JSON lines on stderr: every line that opens a JSON object must parse. */
  private static List<JsonNode> jsonLines(Demo demo) {
    return demo.app.stderrLines().stream()
        .filter(line -> line.startsWith("{"))
        .map(
            line -> {
              try {
                return JSON.readTree(line);
              } catch (JsonProcessingException e) {
                // an Error, so that a wait on it stops at once
                throw new AssertionError("not one JSON object: " + line, e);
              }
            })
        .collect(Collectors.toList());
  }

  /** The JSON line whose message matches, or null. */
  private static JsonNode jsonLine(Demo demo, Predicate<String> message) {
    return jsonLines(demo).stream()
        .filter(line -> message.test(line.path("message").asText()))
        .findFirst()
        .orElse(null);
  }

  /** The line's level, or null when there is no such line. */
  private static String level(JsonNode line) {
    return line == null ? null : line.path("level").asText();
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
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
