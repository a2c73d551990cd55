package io.redwing.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.log.AgentLogCapture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real MetricsEndpoint with basic auth and TLS, asked by real clients. */
class SecuredMetricsEndpointTest {
  private static final String USER = "prometheus";
  private static final String PASSWORD = "scrape-secret-7";

  // keytool takes seconds: one keystore for the class
  @TempDir static Path keys;
  private static TestKeystore keystore;

  @TempDir Path directory;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AgentStatus status = new AgentStatus("1.2.3");
  private HttpClient https;
  private MetricsEndpoint endpoint;

  @BeforeAll
  static void keystore() throws Exception {
    keystore = TestKeystore.generate(keys, "PKCS12");
  }

  @BeforeEach
  void client() throws Exception {
    https = client(null);
    Counter.builder().name("demo_total").register(registry).inc();
  }

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private static HttpClient client(String onlyProtocol) throws Exception {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .sslContext(keystore.clientContext())
            .connectTimeout(Duration.ofSeconds(5));
    if (onlyProtocol != null) {
      builder.sslParameters(new SSLParameters(null, new String[] {onlyProtocol}));
    }
    return builder.build();
  }

  private EndpointSecurity security(Map<String, String> extra) {
    Map<String, String> environment = new HashMap<>();
    environment.put("REDWING_METRICS_USERNAME", USER);
    environment.put("REDWING_METRICS_PASSWORD", PASSWORD);
    environment.put("REDWING_METRICS_TLS_KEYSTORE", keystore.keystore.toString());
    environment.put("REDWING_METRICS_TLS_KEYSTORE_PASSWORD", TestKeystore.PASSWORD);
    environment.putAll(extra);
    List<String> problems = new ArrayList<>();
    EndpointSecurity security =
        EndpointSecurity.from(
            ConfigSources.merge(null, Map.of(), environment, problems::add), problems::add);
    assertThat(problems).isEmpty();
    return security;
  }

  private void start(Map<String, String> extra) {
    endpoint = MetricsEndpoint.start("127.0.0.1", 0, registry, status, security(extra));
    assertThat(endpoint).isNotNull();
  }

  private HttpResponse<String> get(HttpClient client, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + endpoint.port() + path))
            .timeout(Duration.ofSeconds(10));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String[] credentials(String user, String password) {
    String pair = user + ":" + password;
    return new String[] {
      "Authorization",
      "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))
    };
  }

  @Test
  void metricsNeedTheRightCredentialsOverTls() throws Exception {
    start(Map.of());

    HttpResponse<String> anonymous = get(https, "/metrics");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValue("Basic realm=\"redwing\", charset=\"UTF-8\"");
    assertThat(anonymous.body()).isEmpty();
    assertThat(get(https, "/metrics", credentials(USER, "wrong")).statusCode()).isEqualTo(401);
    assertThat(get(https, "/metrics", credentials("someone", PASSWORD)).statusCode())
        .isEqualTo(401);

    HttpResponse<String> scraped = get(https, "/metrics", credentials(USER, PASSWORD));
    assertThat(scraped.statusCode()).isEqualTo(200);
    assertThat(scraped.body()).contains("demo_total 1.0");
    assertThat(scraped.sslSession())
        .hasValueSatisfying(session -> assertThat(session.getProtocol()).isEqualTo("TLSv1.3"));
  }

  @Test
  void everyFormatAndEveryOtherPathNeedsCredentials() throws Exception {
    start(Map.of());
    String openMetrics = "application/openmetrics-text; version=1.0.0";
    String protobuf =
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
            + " encoding=delimited";
    for (String accept : List.of(openMetrics, protobuf)) {
      assertThat(get(https, "/metrics", "Accept", accept).statusCode()).as(accept).isEqualTo(401);
    }
    for (String path :
        List.of(
            "/health/detailed",
            "/nothing",
            "/",
            "/metrics/",
            "/health/",
            "/ready/x",
            "/-/healthy")) {
      assertThat(get(https, path).statusCode()).as(path).isEqualTo(401);
    }
    String[] accepted = credentials(USER, PASSWORD);
    HttpResponse<String> scraped =
        get(https, "/metrics", "Accept", openMetrics, accepted[0], accepted[1]);
    assertThat(scraped.statusCode()).isEqualTo(200);
    assertThat(scraped.body()).endsWith("# EOF\n");
    assertThat(get(https, "/health/detailed", accepted).statusCode()).isEqualTo(200);
    assertThat(get(https, "/nothing", accepted).statusCode()).isEqualTo(404);
  }

  @Test
  void probesStayOpenByDefault() throws Exception {
    start(Map.of());
    status.instrumented(List.of("jdbc"));
    assertThat(get(https, "/ready").statusCode()).isEqualTo(200);
    HttpResponse<String> health = get(https, "/health?verbose=1");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).startsWith("{\"status\":\"UP\"").doesNotContain(PASSWORD);
  }

  @Test
  void probesNeedCredentialsWhenNotOpen() throws Exception {
    start(Map.of("REDWING_METRICS_PROBES_OPEN", "false"));
    status.instrumented(List.of("jdbc"));
    assertThat(get(https, "/health").statusCode()).isEqualTo(401);
    assertThat(get(https, "/ready").statusCode()).isEqualTo(401);
    assertThat(get(https, "/ready", credentials(USER, PASSWORD)).statusCode()).isEqualTo(200);
  }

  @Test
  void plainHttpToTheTlsPortGetsNoAnswer() throws Exception {
    start(Map.of());
    HttpRequest plain =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/health"))
            .timeout(Duration.ofSeconds(10))
            .build();
    assertThatThrownBy(
            () -> HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void tlsOnePointTwoIsStillAccepted() throws Exception {
    start(Map.of());
    HttpResponse<String> response = get(client("TLSv1.2"), "/health");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.sslSession())
        .hasValueSatisfying(session -> assertThat(session.getProtocol()).isEqualTo("TLSv1.2"));
  }

  @Test
  void onlyTlsOnePointTwoAndOnePointThreeAreOffered() throws Exception {
    EndpointSecurity security = security(Map.of());
    HttpsConfigurator configurator = security.httpsConfigurator();
    List<SSLParameters> applied = new ArrayList<>();
    configurator.configure(
        new HttpsParameters() {
          @Override
          public HttpsConfigurator getHttpsConfigurator() {
            return configurator;
          }

          @Override
          public InetSocketAddress getClientAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
          }

          @Override
          public void setSSLParameters(SSLParameters params) {
            applied.add(params);
          }
        });
    assertThat(applied).hasSize(1);
    assertThat(applied.get(0).getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
  }

  @Test
  void curlScrapesWithCredentialsAndIsRefusedWithout() throws Exception {
    assumeThat(Path.of("/usr/bin/curl")).as("curl is installed").exists();
    start(Map.of());
    String url = "https://127.0.0.1:" + endpoint.port() + "/metrics";
    Path netrc = directory.resolve("netrc");
    // a netrc file keeps the password off curl's command line
    Files.writeString(netrc, "machine 127.0.0.1 login " + USER + " password " + PASSWORD + "\n");

    assertThat(curl("--netrc-file", netrc.toString(), url))
        .startsWith("200\n")
        .contains("demo_total 1.0");
    assertThat(curl(url)).isEqualTo("401\n");
    assertThat(curl("-u", USER + ":nope", url)).isEqualTo("401\n");
  }

  private String curl(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "curl",
                "-sS",
                "--max-time",
                "10",
                "--cacert",
                keystore.certificate.toString(),
                "-w",
                "%{http_code}\n",
                "-o",
                directory.resolve("body").toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return output + Files.readString(directory.resolve("body"));
  }

  @Test
  void aRefusalServesNothingAndSaysWhyInOneLine() throws Exception {
    Path missing = directory.resolve("missing-password");
    EndpointSecurity refused =
        EndpointSecurity.from(
            ConfigSources.merge(
                null,
                Map.of(),
                Map.of(
                    "REDWING_METRICS_USERNAME",
                    USER,
                    "REDWING_METRICS_PASSWORD_FILE",
                    missing.toString()),
                problem -> {}),
            problem -> {});
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    assertThat(
            AgentLogCapture.linesWhile(
                () ->
                    assertThat(MetricsEndpoint.start("127.0.0.1", port, registry, status, refused))
                        .isNull()))
        .containsExactly(
            "[redwing] REDWING_METRICS_PASSWORD_FILE=\""
                + missing
                + "\" cannot be read (java.nio.file.NoSuchFileException: "
                + missing
                + "); /metrics, /health and /ready are not served rather than served"
                + " unprotected");
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
  }
}
