package io.redwing.instrumentation.javahttpclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.testing.H2cServer;
import io.redwing.instrumentation.testing.HttpClientOperation;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/2 over cleartext: the client upgrades its first request and multiplexes the next ones on the
 * same connection; each exchange is still one operation with its own status and traceparent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaHttpClientHttp2Test {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  private final H2cServer server;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

  JavaHttpClientHttp2Test() throws Exception {
    server = new H2cServer();
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  @BeforeEach
  void reset() {
    server.clear();
    agent.clear();
  }

  @Test
  void recordsEachExchangeOverHttp2AsOneOperationWithItsStatus() throws Exception {
    HttpResponse<String> first = send("/status/201");
    HttpResponse<String> second = send("/status/404");

    assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(2);
    assertThat(ops).hasSize(2);
    assertThat(ops).extracting(HttpClientOperation::status).containsExactly(201, 404);
    assertThat(ops).extracting(HttpClientOperation::error).containsOnlyNulls();
    assertThat(ops).extracting(HttpClientOperation::protocolVersion).containsOnly("HTTP_2");
    assertThat(ops.get(0).request().url).isEqualTo(server.uri("/status/201").toString());
    assertThat(server.received())
        .extracting(H2cServer.Received::protocol)
        .last()
        .isEqualTo("HTTP/2.0");
    assertThat(server.received())
        .extracting(H2cServer.Received::traceparent)
        .containsExactly(ops.get(0).traceparent(), ops.get(1).traceparent());
  }

  @Test
  void recordsConcurrentAsyncExchangesOnOneHttp2ConnectionSeparately() throws Exception {
    send("/ok");
    agent.clear();
    server.clear();

    List<CompletableFuture<HttpResponse<String>>> pending =
        List.of(sendAsync("/status/200"), sendAsync("/status/202"), sendAsync("/status/503"));
    for (CompletableFuture<HttpResponse<String>> response : pending) {
      assertThat(response.get().version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(3);
    assertThat(ops).hasSize(3);
    assertThat(ops)
        .extracting(HttpClientOperation::status)
        .containsExactlyInAnyOrder(200, 202, 503);
    assertThat(ops).extracting(HttpClientOperation::protocolVersion).containsOnly("HTTP_2");
    assertThat(server.received()).extracting(H2cServer.Received::protocol).containsOnly("HTTP/2.0");
    assertThat(server.received())
        .extracting(H2cServer.Received::traceparent)
        .containsExactlyInAnyOrderElementsOf(
            ops.stream().map(HttpClientOperation::traceparent).toList());
  }

  private HttpResponse<String> send(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(server.uri(path)).build(), BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> sendAsync(String path) {
    return client.sendAsync(
        HttpRequest.newBuilder(server.uri(path)).build(), BodyHandlers.ofString());
  }
}
