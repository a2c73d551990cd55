package io.redwing.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.redwing.agent.config.ConfigSources;
import io.sentry.Sentry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** java.util.logging errors of the application reach a real envelope endpoint, scrubbed. */
class JulErrorReportingTest {
  private final List<String> envelopes = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @AfterEach
  void stop() {
    Sentry.close();
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      if (handler instanceof JulErrorHandler) {
        Logger.getLogger("").removeHandler(handler);
      }
    }
    server.stop(0);
  }

  private ErrorReporter start(String logLevel) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/1/envelope/",
        exchange -> {
          try (exchange) {
            InputStream body = exchange.getRequestBody();
            if ("gzip"
                .equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
              body = new GZIPInputStream(body);
            }
            envelopes.add(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.start();
    String dsn = "http://key@127.0.0.1:" + server.getAddress().getPort() + "/1";
    ConfigSources sources =
        ConfigSources.merge(
            null,
            Map.of("sentry.dsn", dsn, "redwing.sentry.log.level", logLevel),
            Map.of(),
            line -> {});
    return ErrorReporter.start(SentrySettings.from(sources, line -> {}), "svc", "test");
  }

  @Test
  void anErrorRecordBecomesOneScrubbedEventAndWarningsDoNot() throws Exception {
    assertThat(start("error")).isNotNull();
    Logger.getLogger("com.example.Payments")
        .log(Level.SEVERE, "payment failed for password=hunter2", new IllegalStateException("x"));
    Logger.getLogger("com.example.Payments").warning("slow payment provider");
    Logger.getLogger("io.redwing.shaded.io.opentelemetry.Exporter").severe("export failed");
    Sentry.flush(5_000);

    String all = String.join("\n", envelopes);
    assertThat(all.split("\"type\":\"event\"", -1)).as(all).hasSize(2);
    assertThat(all)
        .contains("com.example.Payments", "IllegalStateException", "password=[Filtered]")
        .doesNotContain("hunter2", "slow payment provider", "export failed");
  }

  @Test
  void switchedOffNoRecordBecomesAnEvent() throws Exception {
    assertThat(start("off")).isNotNull();
    Logger.getLogger("com.example.Payments").severe("payment failed");
    Sentry.flush(5_000);

    assertThat(String.join("\n", envelopes)).doesNotContain("\"type\":\"event\"");
  }
}
