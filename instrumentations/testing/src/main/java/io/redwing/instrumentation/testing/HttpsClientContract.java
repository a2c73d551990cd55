package io.redwing.instrumentation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every HTTP client must give over TLS: against a local HTTPS server with a self-signed
 * certificate, made here with the JDK's keytool and trusted only by the client under test, one
 * operation whose URL keeps the https scheme and the server's port (the url_scheme and server_port
 * labels come from it), and the propagation header received through the encrypted connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HttpsClientContract {
  @RegisterExtension
  protected static final InstrumentationExtension agent = new InstrumentationExtension();

  private static final char[] PASSWORD = "redwing-test".toCharArray();

  private final List<String> receivedTraceparents = new CopyOnWriteArrayList<>();
  private HttpsServer server;
  private ExecutorService serverThreads;
  private SSLContext sslContext;
  private X509TrustManager trustManager;

  /**
   * Makes one GET the way an application would, trusting only {@code trustManager} (the one {@code
   * sslContext} was made with), reads the whole response and returns its status.
   */
  protected abstract int get(URI uri, SSLContext sslContext, X509TrustManager trustManager)
      throws Exception;

  @BeforeAll
  final void startServer() throws Exception {
    KeyStore keyStore = selfSignedKeyStore();
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keyStore);
    trustManager = (X509TrustManager) trust.getTrustManagers()[0];
    sslContext = SSLContext.getInstance("TLS");
    sslContext.init(keys.getKeyManagers(), trust.getTrustManagers(), null);

    serverThreads = Executors.newCachedThreadPool();
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setHttpsConfigurator(new HttpsConfigurator(sslContext));
    server.setExecutor(serverThreads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A PKCS12 store with one key pair whose certificate names 127.0.0.1 and localhost. */
  private static KeyStore selfSignedKeyStore() throws Exception {
    Path dir = Files.createTempDirectory("redwing-https");
    Path file = dir.resolve("server.p12");
    SelfSignedKeystores.generate(file, "PKCS12", "server", new String(PASSWORD));
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD);
    }
    Files.delete(file);
    Files.delete(dir);
    return store;
  }

  @AfterAll
  final void stopServer() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  @BeforeEach
  final void reset() {
    receivedTraceparents.clear();
    agent.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
      receivedTraceparents.add(traceparent == null ? "none" : traceparent);
      byte[] body = "secure answer".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Test
  void recordsAnHttpsCallWithItsSchemeAndPortAndSendsTheTraceparentThroughTls() throws Exception {
    int port = server.getAddress().getPort();
    URI target = URI.create("https://127.0.0.1:" + port + "/secure?page=1");

    assertThat(get(target, sslContext, trustManager)).isEqualTo(200);

    List<HttpClientOperation> ops = agent.awaitHttpClientOperations(1);
    assertThat(ops).hasSize(1);
    HttpClientOperation op = ops.get(0);
    URI recorded = URI.create(op.request().url);
    assertThat(recorded.getScheme()).isEqualTo("https");
    assertThat(recorded.getPort()).isEqualTo(port);
    assertThat(op.request().url).isEqualTo(target.toString());
    assertThat(op.status()).isEqualTo(200);
    assertThat(op.error()).isNull();
    assertThat(op.traceparent()).startsWith("00-");
    assertThat(receivedTraceparents).containsExactly(op.traceparent());
  }
}
