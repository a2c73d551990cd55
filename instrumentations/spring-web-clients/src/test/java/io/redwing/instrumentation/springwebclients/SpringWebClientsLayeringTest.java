package io.redwing.instrumentation.springwebclients;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.redwing.instrumentation.testing.HttpClientOperation;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Spring's clients add their own request and response objects on top of the client that does the
 * I/O; a logical call through them is still exactly one operation, the inner client's, with one
 * traceparent on the wire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringWebClientsLayeringTest {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  private final List<String> traceparents = new CopyOnWriteArrayList<>();
  private final CloseableHttpClient apache = HttpClients.createDefault();
  private HttpServer server;

  /** One logical call, as an application writes it; returns the status it saw. */
  interface Call {
    int get(URI uri) throws Exception;
  }

  @BeforeAll
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterAll
  void stop() throws IOException {
    server.stop(0);
    apache.close();
  }

  @BeforeEach
  void reset() {
    traceparents.clear();
    agent.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      traceparents.add(exchange.getRequestHeaders().getFirst("traceparent"));
      String path = exchange.getRequestURI().getPath();
      int status =
          path.startsWith("/status/") ? Integer.parseInt(path.substring("/status/".length())) : 200;
      byte[] body = ("answer " + status).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  Stream<Arguments> clients() {
    RestTemplate simple = new RestTemplate();
    RestTemplate components = new RestTemplate(new HttpComponentsClientHttpRequestFactory(apache));
    RestClient jdk =
        RestClient.builder()
            .requestFactory(
                new JdkClientHttpRequestFactory(java.net.http.HttpClient.newHttpClient()))
            .build();
    WebClient web =
        WebClient.builder()
            .clientConnector(new JdkClientHttpConnector(java.net.http.HttpClient.newHttpClient()))
            .build();
    return Stream.of(
        Arguments.of(
            "RestTemplate on HttpURLConnection", "http-url-connection", restTemplate(simple)),
        Arguments.of(
            "RestTemplate on Apache HttpClient 5", "apache-httpclient-5", restTemplate(components)),
        Arguments.of(
            "RestClient on java.net.http",
            "java-http-client",
            (Call)
                uri ->
                    jdk.get()
                        .uri(uri)
                        .exchange((request, response) -> response.getStatusCode().value())),
        Arguments.of(
            "WebClient on java.net.http",
            "java-http-client",
            (Call)
                uri ->
                    web.get()
                        .uri(uri)
                        .exchangeToMono(response -> Mono.just(response.statusCode().value()))
                        .block()));
  }

  private static Call restTemplate(RestTemplate template) {
    return uri -> {
      try {
        return template.getForEntity(uri, String.class).getStatusCode().value();
      } catch (HttpStatusCodeException e) {
        return e.getStatusCode().value();
      }
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void aLogicalCallIsExactlyOneOperationOfTheClientUnderneath(
      String name, String instrumentation, Call call) throws Exception {
    assertThat(call.get(uri("/ok"))).isEqualTo(200);
    assertThat(call.get(uri("/status/500"))).isEqualTo(500);

    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(2);
    assertThat(ops).hasSize(2);
    assertThat(ops).extracting(op -> op.request().instrumentation).containsOnly(instrumentation);
    assertThat(ops).extracting(HttpClientOperation::status).containsExactly(200, 500);
    assertThat(ops)
        .extracting(op -> op.request().url)
        .containsExactly(uri("/ok").toString(), uri("/status/500").toString());
    assertThat(traceparents).containsExactly(ops.get(0).traceparent(), ops.get(1).traceparent());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }
}
