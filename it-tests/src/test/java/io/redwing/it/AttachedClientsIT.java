package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Clients an application built and used before the attach (a shared java.net.http HttpClient, an
 * OkHttpClient, an Apache HttpClient 5 pool with its connection open) are recorded after it, with
 * the same objects: each client calls a status of its own, so the status label tells them apart.
 */
class AttachedClientsIT {
  private static final String COUNT = "http_client_request_duration_seconds_count";
  private static final Map<String, Integer> STATUS_OF =
      Map.of("jdk", 200, "okhttp", 201, "apache", 202);
  private static final int AFTER_ATTACH = 2;

  /** The traceparent each request arrived with (empty when none), by path. */
  private final Map<String, List<String>> traceparents = new ConcurrentHashMap<>();

  @Test
  void recordsCallsOfClientsBuiltBeforeTheAttach() throws Exception {
    HttpServer target =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    target.createContext("/", this::answer);
    target.start();
    int port = FreePort.find();
    int metricsPort = FreePort.find();
    try (ForkedApp app =
        ForkedApp.builder("shared-clients")
            .env("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(metricsPort))
            .mainClass(
                Artifacts.testClassPathWith(
                    List.of(
                        "okhttp-",
                        "okio-",
                        "kotlin-stdlib-",
                        "httpclient5-",
                        "httpcore5-",
                        "slf4j-api-")),
                "io.redwing.it.clientsapp.SharedClientsApp")
            .arg(Integer.toString(port))
            .start()) {
      app.awaitOutput("clients app listening on port " + port, Await.STARTUP);
      String targetBase = "http://127.0.0.1:" + target.getAddress().getPort();
      for (String client : STATUS_OF.keySet()) {
        assertThat(call(port, client, targetBase)).isEqualTo(STATUS_OF.get(client));
      }

      AttachIT.CliRun attach = AttachIT.cli("attach", Long.toString(app.pid()));
      assertThat(attach.exitCode()).as(attach.output()).isZero();
      String metrics = "http://127.0.0.1:" + metricsPort;
      app.awaitAgentReady(metricsPort);
      for (int i = 0; i < AFTER_ATTACH; i++) {
        for (String client : STATUS_OF.keySet()) {
          assertThat(call(port, client, targetBase)).isEqualTo(STATUS_OF.get(client));
        }
      }

      Scrape scrape =
          Await.value(
              "every call after the attach recorded",
              Await.EXPORT,
              () -> {
                Scrape s = Scrape.of(metrics + "/metrics");
                return STATUS_OF.values().stream()
                        .allMatch(status -> s.valueOrZero(COUNT, labels(status)) >= AFTER_ATTACH)
                    ? s
                    : null;
              });
      for (Map.Entry<String, Integer> client : STATUS_OF.entrySet()) {
        assertThat(scrape.value(COUNT, labels(client.getValue())))
            .as("calls of %s after the attach", client.getKey())
            .isEqualTo(AFTER_ATTACH);
        List<String> seen = traceparents.get("/status/" + client.getValue());
        assertThat(seen).as("requests of %s", client.getKey()).hasSize(1 + AFTER_ATTACH);
        assertThat(seen.get(0)).as("%s before the attach", client.getKey()).isEmpty();
        assertThat(seen.subList(1, seen.size()))
            .as("%s after the attach", client.getKey())
            .allSatisfy(t -> assertThat(t).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]"))
            .doesNotHaveDuplicates();
      }
    } finally {
      target.stop(0);
    }
  }

  private static Map<String, String> labels(int status) {
    return Map.of(
        "http_request_method", "GET",
        "http_response_status_code", Integer.toString(status),
        "server_address", "127.0.0.1");
  }

  private static int call(int appPort, String client, String targetBase) {
    String url = targetBase + "/status/" + STATUS_OF.get(client);
    String answer =
        Http.get(
                "http://127.0.0.1:"
                    + appPort
                    + "/call?client="
                    + client
                    + "&url="
                    + URLEncoder.encode(url, StandardCharsets.UTF_8))
            .body();
    return Integer.parseInt(answer.trim());
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      String path = exchange.getRequestURI().getPath();
      String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
      traceparents
          .computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
          .add(traceparent == null ? "" : traceparent);
      int status = Integer.parseInt(path.substring("/status/".length()));
      byte[] body = ("answer " + status).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
