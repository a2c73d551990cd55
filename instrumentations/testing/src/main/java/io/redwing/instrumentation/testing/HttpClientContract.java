package io.redwing.instrumentation.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every HTTP client, sync or async, must give against a real local server: one ended operation
 * per logical call, started on the calling thread (so that its span is a child of the current one),
 * with the method, the URL as the application gave it, and the final status; the propagation header
 * received by the server; a header the application set left alone; redirects as one operation; and
 * the exception the application saw for a refused connection or a read timeout. A client's test
 * only says how to make one call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HttpClientContract {
  @RegisterExtension
  protected static final InstrumentationExtension agent = new InstrumentationExtension();

  /** Generous: a loaded machine must not turn an ordinary call into a timeout. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  /** For the server that never answers until the test ends. */
  private static final Duration SHORT_READ_TIMEOUT = Duration.ofMillis(300);

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private ExecutorService serverThreads;
  private volatile CountDownLatch hanging = new CountDownLatch(1);

  /** A request as the test server received it; header names in lower case. */
  protected record Received(String method, String path, Map<String, List<String>> headers) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : String.join(",", values);
    }
  }

  /** The name the client's advice gives its operations. */
  private final String instrumentationName;

  protected HttpClientContract(String instrumentationName) {
    this.instrumentationName = instrumentationName;
  }

  /**
   * Makes one call the way an application would, following redirects, with the given extra headers,
   * a request body unless null, and a read timeout; reads the whole response and returns its
   * status. Throws what the library throws.
   */
  protected abstract int call(
      String method, URI uri, Map<String, String> headers, String body, Duration readTimeout)
      throws Exception;

  /**
   * The protocol version of an HTTP/1.1 response as the client's advice reports it ({@code
   * HTTP_1_1}, {@code HTTP/1.1}, {@code http/1.1}); null for a client that reports none.
   */
  protected String reportedHttp11() {
    return null;
  }

  @BeforeAll
  final void startServer() throws IOException {
    serverThreads = Executors.newCachedThreadPool();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(serverThreads);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterAll
  final void stopServer() {
    hanging.countDown();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  @BeforeEach
  final void reset() {
    received.clear();
    hanging = new CountDownLatch(1);
    agent.clear();
  }

  @AfterEach
  final void releaseHangingRequests() {
    hanging.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, List<String>> headers = new TreeMap<>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      String path = exchange.getRequestURI().getPath();
      received.add(new Received(exchange.getRequestMethod(), path, headers));
      int status = 200;
      if (path.startsWith("/status/")) {
        status = Integer.parseInt(path.substring("/status/".length()));
      } else if (path.equals("/redirect")) {
        exchange.getResponseHeaders().set("Location", "/ok");
        status = 302;
      } else if (path.equals("/hang")) {
        try {
          hanging.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = ("answer " + status).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  protected final URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
  }

  private HttpClientOperation single() {
    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(1);
    assertThat(ops).hasSize(1);
    return ops.get(0);
  }

  @Test
  void recordsOneOperationWithMethodUrlAndStatusStartedOnTheCallingThread() throws Exception {
    URI target = uri("/ok?page=2");
    assertThat(call("GET", target, Map.of(), null, READ_TIMEOUT)).isEqualTo(200);

    HttpClientOperation op = single();
    assertThat(op.request().instrumentation).isEqualTo(instrumentationName);
    assertThat(op.request().method).isEqualTo("GET");
    assertThat(op.request().url).isEqualTo(target.toString());
    assertThat(op.status()).isEqualTo(200);
    assertThat(op.error()).isNull();
    assertThat(op.startThread()).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void reportsTheProtocolVersionOfTheResponse() throws Exception {
    assumeTrue(reportedHttp11() != null, "the client reports no protocol version");
    call("GET", uri("/ok"), Map.of(), null, READ_TIMEOUT);

    assertThat(single().protocolVersion()).isEqualTo(reportedHttp11());
  }

  @Test
  void sendsTheOperationsTraceparentToTheServer() throws Exception {
    call("GET", uri("/ok"), Map.of(), null, READ_TIMEOUT);

    HttpClientOperation op = single();
    assertThat(received).hasSize(1);
    assertThat(received.get(0).header("traceparent")).isEqualTo(op.traceparent());
  }

  @Test
  void leavesATraceparentTheApplicationSetAlone() throws Exception {
    String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    call("GET", uri("/ok"), Map.of("traceparent", own, "X-App", "kept"), null, READ_TIMEOUT);

    single();
    assertThat(received).hasSize(1);
    assertThat(received.get(0).headers().get("traceparent")).containsExactly(own);
    assertThat(received.get(0).header("x-app")).isEqualTo("kept");
  }

  @Test
  void recordsAPostWithABodyAsOneOperation() throws Exception {
    assertThat(call("POST", uri("/ok"), Map.of(), "{\"a\":1}", READ_TIMEOUT)).isEqualTo(200);

    HttpClientOperation op = single();
    assertThat(op.request().method).isEqualTo("POST");
    assertThat(op.status()).isEqualTo(200);
    assertThat(received.get(0).method()).isEqualTo("POST");
    assertThat(received.get(0).header("traceparent")).isEqualTo(op.traceparent());
  }

  @Test
  void recordsClientAndServerErrorStatusesWithoutAnException() throws Exception {
    assertThat(call("GET", uri("/status/404"), Map.of(), null, READ_TIMEOUT)).isEqualTo(404);
    assertThat(call("GET", uri("/status/503"), Map.of(), null, READ_TIMEOUT)).isEqualTo(503);

    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(2);
    assertThat(ops).hasSize(2);
    assertThat(ops).extracting(HttpClientOperation::status).containsExactlyInAnyOrder(404, 503);
    assertThat(ops).extracting(HttpClientOperation::error).containsOnlyNulls();
  }

  @Test
  void followsARedirectAsOneOperationThatPropagatesOnEveryHop() throws Exception {
    assertThat(call("GET", uri("/redirect"), Map.of(), null, READ_TIMEOUT)).isEqualTo(200);

    HttpClientOperation op = single();
    assertThat(op.request().url).isEqualTo(uri("/redirect").toString());
    assertThat(op.status()).isEqualTo(200);
    assertThat(received).extracting(Received::path).containsExactly("/redirect", "/ok");
    assertThat(received)
        .allSatisfy(r -> assertThat(r.header("traceparent")).isEqualTo(op.traceparent()));
  }

  @Test
  void recordsARefusedConnectionWithTheExceptionTheApplicationSaw() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Throwable seen =
        catchThrowable(
            () ->
                call(
                    "GET",
                    URI.create("http://127.0.0.1:" + closedPort + "/ok"),
                    Map.of(),
                    null,
                    READ_TIMEOUT));

    assertThat(seen).isInstanceOf(IOException.class);
    HttpClientOperation op = single();
    assertThat(op.status()).isZero();
    assertThat(op.error()).isInstanceOf(java.net.ConnectException.class);
    assertThat(chain(seen)).anyMatch(t -> t.getClass() == op.error().getClass());
  }

  @Test
  void recordsAReadTimeoutWithTheExceptionTheApplicationSaw() throws Exception {
    Throwable seen =
        catchThrowable(() -> call("GET", uri("/hang"), Map.of(), null, SHORT_READ_TIMEOUT));
    hanging.countDown();

    assertThat(seen).isInstanceOf(IOException.class);
    HttpClientOperation op = single();
    assertThat(op.status()).isZero();
    assertThat(op.error()).isInstanceOf(IOException.class);
    assertThat(op.error().getClass().getSimpleName()).containsIgnoringCase("timeout");
    assertThat(chain(seen)).anyMatch(t -> t.getClass() == op.error().getClass());
  }

  @Test
  void recordsEachOfSeveralCallsOnce() throws Exception {
    for (int i = 0; i < 3; i++) {
      call("GET", uri("/ok"), Map.of(), null, READ_TIMEOUT);
    }

    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(3);
    assertThat(ops).hasSize(3);
    assertThat(ops).extracting(HttpClientOperation::traceparent).doesNotHaveDuplicates();
    assertThat(received)
        .extracting(r -> r.header("traceparent"))
        .containsExactlyElementsOf(ops.stream().map(HttpClientOperation::traceparent).toList());
  }

  @Test
  void adviceFollowsTheRules() {
    assertThat(agent.instrumentations())
        .filteredOn(i -> i.name().equals(instrumentationName))
        .singleElement()
        .satisfies(AdviceRules::check);
  }

  private static List<Throwable> chain(Throwable t) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable c = t; c != null && chain.size() < 10; c = c.getCause()) {
      chain.add(c);
    }
    return chain;
  }
}
