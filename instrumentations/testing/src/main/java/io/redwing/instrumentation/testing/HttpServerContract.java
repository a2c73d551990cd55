package io.redwing.instrumentation.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.bootstrap.ClientDisconnects;
import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every servlet container must give, whatever its version: one operation per request with the
 * request's facts, a low-cardinality route, the status the client saw, and the full duration of
 * async requests. A container's test only starts and stops the {@link TestApp} on it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HttpServerContract {
  @RegisterExtension
  protected static final InstrumentationExtension agent = new InstrumentationExtension();

  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final String TRACESTATE = "congo=t61rcWkgMzE";
  private static final String BAGGAGE = "userId=alice";
  private static final String USER_AGENT = "redwing-contract/1";

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private int port;

  /** Starts the container with every {@link TestApp} servlet and filter; returns its port. */
  protected abstract int startServer() throws Exception;

  protected abstract void stopServer() throws Exception;

  /** The name the instrumentation under test reports, e.g. {@code servlet-javax}. */
  protected abstract String instrumentationName();

  @BeforeAll
  final void start() throws Exception {
    port = startServer();
  }

  @AfterAll
  final void stop() throws Exception {
    stopServer();
  }

  @Test
  void recordsOneOperationWithTheFactsOfTheRequest() throws Exception {
    HttpResponse<String> response =
        send(
            request("/hello?color=red&size=2")
                .header("User-Agent", USER_AGENT)
                .header("traceparent", TRACEPARENT)
                .header("tracestate", TRACESTATE)
                .header("baggage", BAGGAGE));

    assertThat(response.body()).isEqualTo(TestApp.HELLO_BODY);
    HttpServerOperation op = single();
    HttpServerRequest facts = op.request();
    assertThat(facts.instrumentation).isEqualTo(instrumentationName());
    assertThat(facts.method).isEqualTo("GET");
    assertThat(facts.scheme).isEqualTo("http");
    assertThat(facts.serverAddress).isEqualTo("127.0.0.1");
    assertThat(facts.serverPort).isEqualTo(port);
    assertThat(facts.path).isEqualTo("/hello");
    assertThat(facts.query).isEqualTo("color=red&size=2");
    assertThat(facts.clientAddress).isEqualTo("127.0.0.1");
    assertThat(facts.userAgent).isEqualTo(USER_AGENT);
    assertThat(facts.traceparent).isEqualTo(TRACEPARENT);
    assertThat(facts.tracestate).isEqualTo(TRACESTATE);
    assertThat(facts.baggage).isEqualTo(BAGGAGE);
    assertThat(facts.requestId).isNull();
    assertThat(op.status()).isEqualTo(200);
    assertThat(op.route()).isEqualTo("/hello");
    assertThat(op.error()).isNull();
    assertThat(op.failedRequestHeaders()).isNull();
  }

  @Test
  void readsTheOtherPropagationHeadersOnlyWhenAPropagatorAsksForThem() throws Exception {
    send(request("/hello").header("X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124"));
    assertThat(single().request().propagation).as("with the W3C propagators alone").isNull();
    agent.clear();

    Operations.inboundPropagationFields(new String[] {"X-B3-TraceId", "X-B3-SpanId"});
    try {
      send(request("/hello").header("X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124"));
    } finally {
      Operations.inboundPropagationFields(null);
    }

    assertThat(single().request().propagation)
        .containsExactly("X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124", null, null);
  }

  @Test
  void takesThePrefixMappingAsRouteNeverThePath() throws Exception {
    HttpResponse<String> response = send(request("/items/42"));

    assertThat(response.body()).isEqualTo("item /42");
    HttpServerOperation op = single();
    assertThat(op.request().path).isEqualTo("/items/42");
    assertThat(op.route()).isEqualTo("/items/*");
  }

  @Test
  void givesAnEmptyRouteWhenOnlyTheDefaultServletMatched() throws Exception {
    HttpResponse<String> response = send(request("/no/such/page"));

    assertThat(response.statusCode()).isEqualTo(404);
    HttpServerOperation op = single();
    assertThat(op.status()).isEqualTo(404);
    assertThat(op.route()).isEmpty();
    assertThat(op.error()).isNull();
  }

  @Test
  void recordsTwoFiltersAndAForwardAsOneOperation() throws Exception {
    HttpResponse<String> response = send(request("/forward"));

    assertThat(response.body()).isEqualTo(TestApp.HELLO_BODY);
    HttpServerOperation op = single();
    assertThat(op.request().path).isEqualTo("/forward");
    assertThat(op.route()).isEqualTo("/forward");
    assertThat(op.status()).isEqualTo(200);
  }

  @Test
  void recordsAnIncludeAsOneOperation() throws Exception {
    HttpResponse<String> response = send(request("/include"));

    assertThat(response.body()).isEqualTo("included:" + TestApp.HELLO_BODY);
    HttpServerOperation op = single();
    assertThat(op.route()).isEqualTo("/include");
    assertThat(op.status()).isEqualTo(200);
  }

  @Test
  void recordsAnEscapedExceptionAsErrorWithStatus500() throws Exception {
    HttpResponse<String> response =
        send(
            request("/throws")
                .header("X-Tenant", "acme")
                .header("Accept-Language", "de")
                .header("Accept-Language", "fr"));

    assertThat(response.statusCode()).isEqualTo(500);
    HttpServerOperation op = single();
    assertThat(op.status()).isEqualTo(500);
    assertThat(op.route()).isEqualTo("/throws");
    assertThat(op.error()).isInstanceOf(IllegalStateException.class).hasMessage(TestApp.FAILURE);
    assertThat(op.failedRequestHeaders()).as("the headers kept for the error report").isNotNull();
    // Containers differ in the case of the names they hand back, and in how they join repeats.
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; i < op.failedRequestHeaders().size(); i += 2) {
      headers.put(
          op.failedRequestHeaders().get(i).toLowerCase(Locale.ROOT),
          op.failedRequestHeaders().get(i + 1));
    }
    assertThat(headers).containsEntry("x-tenant", "acme").containsKey("host");
    assertThat(headers.get("accept-language")).contains("de").contains("fr");
  }

  @Test
  void recordsAClientThatLeftMidResponseAsAFailureItsErrorReportWillSkip() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket
          .getOutputStream()
          .write("GET /download HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(UTF_8));
      byte[] read = socket.getInputStream().readNBytes(TestApp.DOWNLOAD_CHUNK);
      assertThat(new String(read, 0, 12, UTF_8)).isEqualTo("HTTP/1.1 200");
      // An abortive close, as a browser tab closed or a client timing out leaves it.
      socket.setSoLinger(true, 0);
    }

    HttpServerOperation op = single();
    assertThat(op.route()).isEqualTo("/download");
    assertThat(op.status()).as("the status the client was sent").isEqualTo(200);
    assertThat(op.error()).as("the write that failed").isInstanceOf(IOException.class);
    // Each container words it its own way; the error reporter must know them all.
    assertThat(ClientDisconnects.isDisconnect(op.error())).as(op.error().toString()).isTrue();
  }

  @Test
  void timesAnAsyncRequestUntilItCompletesOnAnotherThread() throws Exception {
    HttpResponse<String> response = send(request("/async"));

    assertThat(response.body()).isEqualTo("async");
    HttpServerOperation op = single();
    assertThat(op.status()).isEqualTo(200);
    assertThat(op.route()).isEqualTo("/async");
    assertThat(op.duration()).isGreaterThanOrEqualTo(TestApp.DELAY);
    assertThat(op.suspensions()).isEqualTo(1);
    assertThat(op.error()).isNull();
  }

  @Test
  void timesAnAsyncDispatchAsOneOperation() throws Exception {
    HttpResponse<String> response = send(request("/async-dispatch"));

    assertThat(response.body()).isEqualTo(TestApp.HELLO_BODY);
    HttpServerOperation op = single();
    assertThat(op.status()).isEqualTo(200);
    assertThat(op.request().path).isEqualTo("/async-dispatch");
    assertThat(op.route()).isIn("/async-dispatch", "/hello");
    assertThat(op.duration()).isGreaterThanOrEqualTo(TestApp.DELAY);
    assertThat(op.suspensions()).isEqualTo(1);
    assertThat(op.resumptions()).isEqualTo(1);
  }

  @Test
  void setsAGeneratedRequestIdOnTheResponse() throws Exception {
    HttpResponse<String> response = send(request("/hello"));

    HttpServerOperation op = single();
    assertThat(op.requestId()).isNotBlank();
    assertThat(response.headers().firstValue("X-Request-ID")).contains(op.requestId());
  }

  @Test
  void echoesTheRequestIdTheCallerSent() throws Exception {
    HttpResponse<String> response = send(request("/hello").header("X-Request-ID", "req-7"));

    HttpServerOperation op = single();
    assertThat(op.request().requestId).isEqualTo("req-7");
    assertThat(response.headers().firstValue("X-Request-ID")).contains("req-7");
  }

  @Test
  void prefersTheRouteAFrameworkMatched() throws Exception {
    send(request("/items/42").header(TestApp.ROUTE_HEADER, "/items/{id}"));

    assertThat(single().route()).isEqualTo("/items/{id}");
  }

  @Test
  void instrumentsTheApplicationsFiltersAndServlets() throws Exception {
    send(request("/hello"));

    assertThat(agent.transformedTypes())
        .anyMatch(type -> type.endsWith("." + TestApp.FILTER_CLASS))
        .anyMatch(type -> type.endsWith("." + TestApp.SERVLET_CLASS));
  }

  @Test
  void adviceFollowsTheRules() {
    List<TypeInstrumentation> ours =
        agent.instrumentations().stream()
            .filter(i -> i.name().equals(instrumentationName()))
            .toList();

    assertThat(ours).isNotEmpty();
    ours.forEach(AdviceRules::check);
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(10));
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The one operation the request made, once it ended; fails if there were more. */
  private static HttpServerOperation single() {
    List<HttpServerOperation> ops = agent.awaitHttpServerOperations(1);
    assertThat(ops).hasSize(1);
    return ops.get(0);
  }
}
