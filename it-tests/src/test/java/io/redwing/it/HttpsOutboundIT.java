package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.redwing.instrumentation.testing.SelfSignedKeystores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo with the agent calls an HTTPS server of this test (a self-signed certificate made with
 * keytool, trusted by the demo's JVM through its trust store) with java.net.http and with
 * HttpsURLConnection: the server gets a traceparent through TLS, and the demo's /metrics counts the
 * call with url_scheme="https" and the server's port.
 */
class HttpsOutboundIT {
  private static final String PASSWORD = "redwing-it";

  private static final List<String> traceparents = new CopyOnWriteArrayList<>();
  private static HttpsServer server;
  private static Demo demo;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Artifacts.workDirectory("https-outbound");
    Path keyStoreFile = dir.resolve("server.p12");
    Files.deleteIfExists(keyStoreFile);
    SelfSignedKeystores.generate(keyStoreFile, "PKCS12", "server", PASSWORD);
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStoreFile)) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    // The demo trusts the certificate alone, as an application given a private CA's would.
    KeyStore trustStore = KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    trustStore.setCertificateEntry("server", keyStore.getCertificate("server"));
    Path trustStoreFile = dir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(trustStoreFile)) {
      trustStore.store(out, PASSWORD.toCharArray());
    }

    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", HttpsOutboundIT::handle);
    server.start();

    demo =
        Demo.withAgent(
            "https-outbound",
            Map.of("OUTBOUND_BASE_URL", "https://127.0.0.1:" + server.getAddress().getPort()),
            "-Djavax.net.ssl.trustStore=" + trustStoreFile,
            "-Djavax.net.ssl.trustStorePassword=" + PASSWORD,
            "-Djavax.net.ssl.trustStoreType=PKCS12");
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
      traceparents.add(traceparent == null ? "none" : traceparent);
      byte[] body = "secure".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  @BeforeEach
  void forgetEarlierCalls() {
    traceparents.clear();
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "url"})
  void anHttpsCallIsCountedWithItsSchemeAndPortAndCarriesATraceparent(String client) {
    Map<String, String> labels =
        Map.of(
            "http_request_method", "GET",
            "http_response_status_code", "200",
            "server_address", "127.0.0.1",
            "server_port", Integer.toString(server.getAddress().getPort()),
            "url_scheme", "https");
    String count = "http_client_request_duration_seconds_count";
    double before = demo.scrape().valueOrZero(count, labels);

    HttpResponse<String> response = demo.get("/outbound?to=/secure&client=" + client);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":200");
    assertThat(traceparents).hasSize(1);
    assertThat(traceparents.get(0)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]");
    Await.value(
        "the " + client + " HTTPS call counted",
        Await.EXPORT,
        () -> demo.scrape().valueOrZero(count, labels) == before + 1 ? Boolean.TRUE : null);
  }
}
