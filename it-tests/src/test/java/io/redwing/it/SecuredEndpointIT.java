package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redwing.instrumentation.testing.SelfSignedKeystores;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo with the agent serving {@code /metrics} over TLS with basic auth, configured by
 * environment variables only: a Java client, plain HTTP, and a real Prometheus scrape it.
 */
class SecuredEndpointIT {
  private static final String USER = "prometheus";
  private static final String PASSWORD = "it-scrape-secret-3";
  private static final String KEYSTORE_PASSWORD = "it-keystore-secret-5";

  private static Path work;
  private static Path certificate;
  private static Path passwordFile;
  private static Demo demo;
  private static HttpClient https;

  @BeforeAll
  static void startSecuredDemo() throws Exception {
    work = Artifacts.workDirectory("secured-endpoint");
    Path keystore = work.resolve("endpoint.p12");
    certificate = work.resolve("endpoint.pem");
    Files.deleteIfExists(keystore);
    SelfSignedKeystores.generate(keystore, "PKCS12", "endpoint", KEYSTORE_PASSWORD);
    SelfSignedKeystores.exportCertificate(
        keystore, "PKCS12", "endpoint", KEYSTORE_PASSWORD, certificate);
    passwordFile = work.resolve("scrape-password");
    Files.writeString(passwordFile, PASSWORD + "\n");

    demo =
        Demo.withAgentNotAwaitingReady(
            "secured-endpoint-demo",
            Map.of(
                "OTEL_EXPORTER_PROMETHEUS_HOST",
                "127.0.0.1",
                "REDWING_METRICS_USERNAME",
                USER,
                "REDWING_METRICS_PASSWORD_FILE",
                passwordFile.toString(),
                "REDWING_METRICS_TLS_KEYSTORE",
                keystore.toString(),
                "REDWING_METRICS_TLS_KEYSTORE_PASSWORD",
                KEYSTORE_PASSWORD));
    https = HttpClient.newBuilder().sslContext(trusting(certificate)).build();
    Await.until(
        "agent /ready == 200 over https without credentials",
        Await.STARTUP,
        () -> {
          assertThat(demo.app.isAlive()).as(demo.app.output()).isTrue();
          return status("/ready") == 200;
        });
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void metricsAnswerOnlyTheRightCredentialsOverTls() {
    demo.getOk("/hello", "hello from the demo\n");

    HttpResponse<String> anonymous = get("/metrics");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(value -> assertThat(value).startsWith("Basic realm=\"redwing\""));
    assertThat(get("/metrics", credentials(USER, "wrong")).statusCode()).isEqualTo(401);
    assertThat(get("/health/detailed").statusCode()).isEqualTo(401);

    HttpResponse<String> scraped = get("/metrics", credentials(USER, PASSWORD));
    assertThat(scraped.statusCode()).isEqualTo(200);
    Scrape scrape = Scrape.parse(scraped.body());
    assertThat(
            scrape.value(
                "http_server_request_duration_seconds_count", Map.of("http_route", "/hello")))
        .isGreaterThanOrEqualTo(1);
    assertThat(get("/health/detailed", credentials(USER, PASSWORD)).statusCode()).isEqualTo(200);
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void plainHttpToTheTlsPortGetsNoAnswer() {
    assertThat(Http.status(demo.agentUrl("/health"))).isEqualTo(-1);
  }

  @Test
  void theStartUpLineSaysHttpsAndBasicAuthAndNoSecretIsPrinted() {
    // The agent prints it after its endpoint has started answering /ready.
    demo.app.awaitOutput("metrics on", Await.STARTUP);
    assertThat(demo.app.stderrLinesContaining("metrics on"))
        .singleElement()
        .asString()
        .contains("metrics on https://127.0.0.1:" + demo.metricsPort + "/metrics (basic auth)");
    assertThat(demo.app.output()).doesNotContain(PASSWORD).doesNotContain(KEYSTORE_PASSWORD);
  }

  @Test
  void prometheusScrapesWithTheMonitoringStacksExampleJobButNotWithAWrongPassword()
      throws IOException {
    String example =
        Files.readString(
            Artifacts.repositoryRoot()
                .resolve("monitoring-stack/prometheus/secured-agent.example.yml"));
    String target = "127.0.0.1:" + demo.metricsPort;
    String secured =
        replaceOnce(
            replaceOnce(
                replaceOnce(
                    replaceOnce(example, "scrape_interval: 15s", "scrape_interval: 1s"),
                    "/etc/prometheus/secrets/redwing-metrics-password",
                    passwordFile.toString()),
                "/etc/prometheus/secrets/ca.pem",
                certificate.toString()),
            "app:9464",
            target);
    Path config = work.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            secured,
            "  - job_name: wrong-password",
            "    scheme: https",
            "    basic_auth:",
            "      username: " + USER,
            "      password: not-it",
            "    tls_config:",
            "      ca_file: " + certificate,
            "    static_configs:",
            "      - targets: ['" + target + "']",
            ""));
    try (PrometheusServer prometheus = PrometheusServer.start("prometheus-secured", work, config)) {
      Await.until(
          "up{job=\"redwing-secured\"} == 1 and up{job=\"wrong-password\"} == 0",
          Await.EXPORT,
          () ->
              upIs(prometheus, "redwing-secured", "1") && upIs(prometheus, "wrong-password", "0"));
      String samples = prometheus.queryBody("redwing_agent_info{job=\"redwing-secured\"}");
      assertThat(samples).contains("\"job\":\"redwing-secured\"");
    }
  }

  /** A password file nobody can read: the agent logs one line, serves nothing, the app runs. */
  @Test
  void anUnreadablePasswordFileLeavesTheEndpointClosedAndTheAppRunning() {
    Path missing = work.resolve("no-such-password-file");
    try (Demo closed =
        Demo.withAgentNotAwaitingReady(
            "secured-endpoint-refused-demo",
            Map.of(
                "REDWING_METRICS_USERNAME",
                USER,
                "REDWING_METRICS_PASSWORD_FILE",
                missing.toString()))) {
      closed.app.awaitOutput("metrics not served", Await.STARTUP);
      closed.getOk("/hello", "hello from the demo\n");
      assertThat(closed.app.stderrLinesContaining("REDWING_METRICS_PASSWORD_FILE"))
          .containsExactly(
              "[redwing] REDWING_METRICS_PASSWORD_FILE=\""
                  + missing
                  + "\" cannot be read (java.nio.file.NoSuchFileException: "
                  + missing
                  + "); /metrics, /health and /ready are not served rather than served"
                  + " unprotected");
      assertThatThrownBy(() -> new Socket("127.0.0.1", closed.metricsPort).close())
          .isInstanceOf(ConnectException.class);
    }
  }

  private static String replaceOnce(String text, String placeholder, String value) {
    assertThat(text).contains(placeholder);
    return text.replace(placeholder, value);
  }

  private static boolean upIs(PrometheusServer prometheus, String job, String value) {
    String body = prometheus.queryBody("up{job=\"" + job + "\"}");
    return body.contains("\"job\":\"" + job + "\"") && body.contains(",\"" + value + "\"]");
  }

  private static String[] credentials(String user, String password) {
    String pair = user + ":" + password;
    return new String[] {
      "Authorization",
      "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))
    };
  }

  private static int status(String path) {
    try {
      return get(path).statusCode();
    } catch (UncheckedIOException e) {
      return -1;
    }
  }

  private static HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + demo.metricsPort + path))
            .timeout(Duration.ofSeconds(15));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static SSLContext trusting(Path pem) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      trusted.setCertificateEntry(
          "endpoint", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
