package io.redwing.instrumentation.apachehttpclient5;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.testing.H2cServer;
import io.redwing.instrumentation.testing.HttpClientOperation;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.io.CloseMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP/2 async client (prior knowledge over cleartext): streams multiplexed on one connection
 * are one operation each, with their own status and traceparent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApacheHttpAsyncClient5Http2Test {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  private final H2cServer server;
  private final CloseableHttpAsyncClient client = HttpAsyncClients.customHttp2().build();

  ApacheHttpAsyncClient5Http2Test() throws Exception {
    server = new H2cServer();
    client.start();
  }

  @AfterAll
  void stop() throws Exception {
    client.close(CloseMode.IMMEDIATE);
    server.close();
  }

  @BeforeEach
  void reset() {
    server.clear();
    agent.clear();
  }

  @Test
  void recordsEachStreamOverHttp2AsOneOperationWithItsStatus() throws Exception {
    List<Future<SimpleHttpResponse>> pending =
        List.of(execute("/status/201"), execute("/status/404"), execute("/ok"));
    for (Future<SimpleHttpResponse> response : pending) {
      assertThat(response.get().getVersion()).isEqualTo(HttpVersion.HTTP_2);
    }

    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(3);
    assertThat(ops).hasSize(3);
    assertThat(ops)
        .extracting(HttpClientOperation::status)
        .containsExactlyInAnyOrder(201, 404, 200);
    assertThat(ops).extracting(HttpClientOperation::error).containsOnlyNulls();
    assertThat(ops).extracting(HttpClientOperation::protocolVersion).containsOnly("HTTP/2.0");
    assertThat(server.received()).extracting(H2cServer.Received::protocol).containsOnly("HTTP/2.0");
    assertThat(server.received())
        .extracting(H2cServer.Received::traceparent)
        .containsExactlyInAnyOrderElementsOf(
            ops.stream().map(HttpClientOperation::traceparent).toList());
  }

  private Future<SimpleHttpResponse> execute(String path) {
    return client.execute(SimpleRequestBuilder.get(server.uri(path)).build(), null);
  }
}
