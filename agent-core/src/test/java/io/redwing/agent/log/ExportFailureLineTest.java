package io.redwing.agent.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportFailureLineTest {
  private static final Map<String, String> ENDPOINTS =
      Map.of("span", "http://collector:4318/v1/traces", "log", "http://collector:4318/v1/logs");

  /** What the exporter's JDK HTTP client throws when it sends to {@code uri}. */
  private static Throwable sendingTo(String uri) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return catchThrowable(
        () ->
            client.send(
                HttpRequest.newBuilder(URI.create(uri))
                    .POST(HttpRequest.BodyPublishers.ofString("x"))
                    .build(),
                HttpResponse.BodyHandlers.discarding()));
  }

  @Test
  void aRefusedConnectionIsSaidSoWithWhereTo() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      closed = socket.getLocalPort();
    }
    Throwable refused = sendingTo("http://127.0.0.1:" + closed + "/v1/traces");

    assertThat(
            ExportFailureLine.describe(
                "Failed to export spans. The request could not be executed.", refused, ENDPOINTS))
        .isEqualTo(
            "spans could not be exported to http://collector:4318/v1/traces: the connection was"
                + " refused (java.net.ConnectException)");
  }

  @Test
  void aHostThatDoesNotResolveIsSaidSo() {
    Throwable unresolved = sendingTo("http://collector.invalid:4318/v1/logs");

    assertThat(
            ExportFailureLine.describe(
                "Failed to export logs. The request could not be executed.", unresolved, ENDPOINTS))
        .startsWith(
            "logs could not be exported to http://collector:4318/v1/logs: its host name could not"
                + " be resolved (");
  }

  @Test
  void anAnswerWithAnErrorStatusKeepsTheExportersWords() {
    assertThat(
            ExportFailureLine.describe(
                "Failed to export spans. Server responded with HTTP status code 503. Error"
                    + " message: unavailable",
                null,
                ENDPOINTS))
        .isEqualTo(
            "spans could not be exported to http://collector:4318/v1/traces: Server responded"
                + " with HTTP status code 503. Error message: unavailable");
  }

  @Test
  void otherMessagesAreNotExportFailures() {
    assertThat(ExportFailureLine.describe("Calling shutdown() multiple times.", null, ENDPOINTS))
        .isNull();
    assertThat(ExportFailureLine.describe(null, null, ENDPOINTS)).isNull();
  }

  @Test
  void anUnknownFailureShowsItsFirstMessage() {
    assertThat(
            ExportFailureLine.reason(
                new RuntimeException(
                    new IllegalStateException("pool closed", new java.io.IOException()))))
        .isEqualTo("java.lang.RuntimeException: java.lang.IllegalStateException: pool closed");
  }
}
