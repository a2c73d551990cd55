package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real Prometheus (Debian's package) scrapes the agent in a forked demo and evaluates the
 * monitoring stack's rules: the names and labels the agent exports are the ones the queries,
 * recording rules and dashboards are written against.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusScrapeIT {
  private static final Pattern QUOTED = Pattern.compile("\"([a-zA-Z_:][a-zA-Z0-9_:]*)\"");

  private static Demo demo;
  private static PrometheusServer prometheus;

  @BeforeAll
  static void startDemoAndPrometheus() throws IOException {
    // a traced method, so that the method-duration panel has data
    demo =
        Demo.withAgent(
            "prometheus-scrape-demo",
            Map.of("OTEL_INSTRUMENTATION_METHODS_INCLUDE", "io.redwing.demo.OwnerStore[name]"));
    Path work = Artifacts.workDirectory("prometheus-scrape");
    Path rules = Artifacts.repositoryRoot().resolve("monitoring-stack/prometheus/rules");
    Path config = work.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "rule_files:",
            "  - " + rules.toAbsolutePath() + "/*.rules.yml",
            "scrape_configs:",
            "  - job_name: redwing",
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + demo.metricsPort + "']",
            ""));
    prometheus = PrometheusServer.start("prometheus", work, config);
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  @Order(1)
  void prometheusIngestsTheRequestsUnderTheSemanticConventionNames() {
    for (int i = 1; i <= 7; i++) {
      demo.get("/owners/" + i);
    }
    demo.get("/error");
    demo.get("/error");

    awaitValue("up{job=\"redwing\"}", "1");
    awaitValue(
        "sum(http_server_request_duration_seconds_count{http_route=\"/owners/{id}\","
            + "http_request_method=\"GET\",http_response_status_code=\"200\",url_scheme=\"http\"})",
        "7");
    awaitValue(
        "sum(http_server_request_duration_seconds_count{http_response_status_code=\"500\","
            + "error_type!=\"\"})",
        "2");
    awaitValue("count(redwing_agent_info)", "1");
  }

  @Test
  @Order(2)
  void theRecordingRulesEvaluateOnTheAgentsSeries() {
    // rate() needs counters that grow between scrapes, so traffic continues while polling.
    Double ratio =
        Await.value(
            "job:http_server_errors:ratio_rate5m in (0, 1]",
            Await.EXPORT,
            () -> {
              demo.get("/owners/1");
              demo.get("/error");
              String value = query("job:http_server_errors:ratio_rate5m{job=\"redwing\"}");
              double parsed = value == null ? Double.NaN : Double.parseDouble(value);
              return parsed > 0 && parsed <= 1 ? parsed : null;
            });
    assertThat(ratio).isBetween(0.0, 1.0);
    String p95 =
        Await.value(
            "p95 of /owners/{id}",
            Await.EXPORT,
            () ->
                query(
                    "job_route:http_server_request_duration_seconds:p95_5m"
                        + "{http_route=\"/owners/{id}\"}"));
    assertThat(Double.parseDouble(p95)).isPositive().isLessThanOrEqualTo(10.0);
  }

  @Test
  @Order(3)
  void theMonitoringStackChecksPassWithTheRealTools() {
    ForkedApp check =
        ForkedApp.builder("monitoring-stack-check")
            .program(Artifacts.repositoryRoot().resolve("monitoring-stack/check.sh").toString())
            .start();
    int exit = check.awaitExit(Duration.ofMinutes(2));
    assertThat(exit).as(check.output()).isZero();
    assertThat(check.output()).contains("check_stack: OK").doesNotContain("FAILED");
  }

  @Test
  @Order(4)
  void everyDashboardQueryAndRuleExpressionReturnsData() throws IOException {
    Path stack = Artifacts.repositoryRoot().resolve("monitoring-stack");
    Path queries = Artifacts.workDirectory("prometheus-scrape").resolve("queries.tsv");
    ForkedApp list =
        ForkedApp.builder("monitoring-stack-queries")
            .program(
                pythonWith("yaml"),
                stack.resolve("tests/check_stack.py").toString(),
                "queries",
                "redwing",
                "127.0.0.1:" + demo.metricsPort,
                queries.toString())
            .start();
    assertThat(list.awaitExit(Duration.ofMinutes(1))).as(list.output()).isZero();
    List<String[]> all = new ArrayList<>();
    for (String line : Files.readAllLines(queries)) {
      all.add(line.split("\t", -1));
    }
    assertThat(all).as("dashboard queries and rule expressions").hasSizeGreaterThan(50);

    // Traffic continues while polling: rates and quantiles need counters that grow between scrapes.
    AtomicReference<List<String>> failing = new AtomicReference<>(List.of("never evaluated"));
    try {
      Await.until(
          "every query returns data",
          Await.EXPORT,
          () -> {
            demo.get("/owners/1");
            demo.get("/error");
            demo.get("/slow?ms=300");
            demo.get("/cache/monitoring");
            demo.get("/owners/1/register");
            demo.get("/outbound?to=/hello");
            demo.get("/outbound?to=/owners/0");
            failing.set(failingQueries(all));
            return failing.get().isEmpty();
          });
    } catch (AssertionError timedOut) {
      // the queries still failing when time ran out say more than the timeout does
    }
    assertThat(failing.get())
        .as("of %d dashboard queries and rule expressions, those failing", all.size())
        .isEmpty();
  }

  @Test
  @Order(5)
  void theReadmesPanelsRenderWithDataFromPrometheus() throws IOException {
    Path png = Artifacts.workDirectory("prometheus-scrape").resolve("panels.png");
    ForkedApp render =
        ForkedApp.builder("monitoring-stack-render")
            .program(
                pythonWith("matplotlib, yaml"),
                Artifacts.repositoryRoot()
                    .resolve("monitoring-stack/tests/render_panels.py")
                    .toString(),
                prometheus.url(),
                "redwing",
                "127.0.0.1:" + demo.metricsPort,
                "120",
                png.toString(),
                "service-overview.json#2",
                "service-overview.json#4",
                "dependencies.json#4",
                "dependencies.json#15")
            .start();
    assertThat(render.awaitExit(Duration.ofMinutes(1))).as(render.output()).isZero();
    assertThat(render.output()).contains("render_panels: 4 panels");
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
  }

  /** pyenv's python3 may lack the Debian packages that /usr/bin/python3 has. */
  private static String pythonWith(String modules) {
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      ForkedApp probe =
          ForkedApp.builder("python-probe").program(candidate, "-c", "import " + modules).start();
      if (probe.awaitExit(Duration.ofSeconds(30)) == 0) {
        return candidate;
      }
    }
    throw new AssertionError(
        "no python3 imports " + modules + ": apt-get install python3-matplotlib python3-yaml");
  }

  /**
   * The queries that return no data, or that read a metric Prometheus has neither from the agent
   * nor from a recording rule.
   */
  private static List<String> failingQueries(List<String[]> all) {
    Set<String> known = new HashSet<>();
    Matcher names = QUOTED.matcher(prometheus.api("/api/v1/label/__name__/values"));
    while (names.find()) {
      known.add(names.group(1));
    }
    List<String> failing = new ArrayList<>();
    for (String[] query : all) {
      List<String> reads = query[2].isEmpty() ? List.of() : List.of(query[2].split(","));
      for (String name : reads) {
        if (!known.contains(name)) {
          failing.add(query[0] + " reads " + name + ", which the agent does not export");
        }
      }
      if (!prometheus.queryBody(query[1]).contains("\"value\"")) {
        failing.add(query[0] + " returns no data: " + query[1]);
      }
    }
    return failing;
  }

  private static void awaitValue(String query, String expected) {
    Await.until(query + " == " + expected, Await.EXPORT, () -> expected.equals(query(query)));
  }

  /** The single value of an instant query, or null while it has none. */
  private static String query(String promql) {
    return prometheus.query(promql);
  }
}
