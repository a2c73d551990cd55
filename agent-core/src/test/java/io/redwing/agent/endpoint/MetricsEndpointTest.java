package io.redwing.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.redwing.agent.log.AgentLogCapture;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AgentStatus status = new AgentStatus("1.2.3");
  private final HttpClient http = HttpClient.newHttpClient();
  private MetricsEndpoint endpoint;

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void detailedHealthAddsTheDetailsToHealth() throws Exception {
    endpoint = MetricsEndpoint.start("127.0.0.1", 0, registry, status);
    status.exporterState("none");
    assertThat(get("/health/detailed", null).body()).isEqualTo(get("/health", null).body());

    status.details(() -> "\"dependencies\":[],\"pools\":[]");
    HttpResponse<String> detailed = get("/health/detailed", null);
    assertThat(detailed.statusCode()).isEqualTo(200);
    assertThat(detailed.body())
        .matches(
            "\\{\"status\":\"UP\",\"version\":\"1.2.3\",\"uptimeSeconds\":\\d+,"
                + "\"instrumentations\":\\[],\"disabled\":\\{},\"exporter\":\"none\","
                + "\"dependencies\":\\[],\"pools\":\\[]}\n");
  }

  @Test
  void servesMetricsHealthAndReadinessOverHttp() throws Exception {
    Counter.builder().name("demo_total").register(registry).inc();
    endpoint = MetricsEndpoint.start("127.0.0.1", 0, registry, status);

    HttpResponse<String> metrics = get("/metrics", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("demo_total 1.0");

    HttpResponse<String> openMetrics =
        get("/metrics", "application/openmetrics-text; version=1.0.0");
    assertThat(openMetrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
    assertThat(openMetrics.body()).endsWith("# EOF\n");

    HttpResponse<String> protobuf =
        get(
            "/metrics",
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
                + " encoding=delimited");
    assertThat(protobuf.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/vnd.google.protobuf"));
    assertThat(protobuf.body()).contains("demo");

    assertThat(get("/ready", null).statusCode()).isEqualTo(503);
    status.exporterState("otlp");
    status.instrumented(List.of("servlet-javax"));
    status.disabled(Map.of("jdbc", "its advice failed 10 times"));
    assertThat(get("/ready", null).statusCode()).isEqualTo(200);

    HttpResponse<String> health = get("/health", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body())
        .matches(
            "\\{\"status\":\"UP\",\"version\":\"1.2.3\",\"uptimeSeconds\":\\d+,"
                + "\"instrumentations\":\\[\"servlet-javax\"],"
                + "\"disabled\":\\{\"jdbc\":\"its advice failed 10 times\"},"
                + "\"exporter\":\"otlp\"}\n");
    assertThat(get("/nothing", null).statusCode()).isEqualTo(404);
  }

  @Test
  void bindingToLoopbackRefusesConnectionsToAnyOtherAddress() throws Exception {
    endpoint = MetricsEndpoint.start("127.0.0.1", 0, registry, status);
    int port = endpoint.port();
    new Socket("127.0.0.1", port).close();
    // on Linux all of 127/8 reaches this host: 127.0.0.2 is another address of the same machine
    assertThatThrownBy(() -> new Socket("127.0.0.2", port)).isInstanceOf(ConnectException.class);
    endpoint.close();

    endpoint = MetricsEndpoint.start("0.0.0.0", 0, registry, status);
    new Socket("127.0.0.2", endpoint.port()).close();
  }

  @Test
  void aPortInUseIsOneLineNamingThePortAndTheKey() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThat(
              AgentLogCapture.linesWhile(
                  () ->
                      assertThat(MetricsEndpoint.start("127.0.0.1", port, registry, status))
                          .isNull()))
          .containsExactly(
              "[redwing] port "
                  + port
                  + " on 127.0.0.1 is in use; /metrics, /health and /ready are not served. Set"
                  + " OTEL_EXPORTER_PROMETHEUS_PORT to a free port");
    }
  }
}
