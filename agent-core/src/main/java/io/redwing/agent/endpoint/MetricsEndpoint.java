package io.redwing.agent.endpoint;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.redwing.agent.AgentThreads;
import io.redwing.agent.log.AgentLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code /metrics} (text, OpenMetrics, protobuf: the Prometheus client's own server), plus {@code
 * /health}, {@code /health/detailed} and {@code /ready}, on daemon threads named {@code
 * redwing-http-*}.
 */
public final class MetricsEndpoint implements AutoCloseable {
  public static final String PORT_KEY = "OTEL_EXPORTER_PROMETHEUS_PORT";

  private final HTTPServer server;
  private final ExecutorService executor;

  private MetricsEndpoint(HTTPServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving, or returns {@code null} after one stderr line when the port is taken or the
   * host cannot be bound: the rest of the agent keeps working without the endpoint.
   */
  public static MetricsEndpoint start(
      String host, int port, PrometheusRegistry registry, AgentStatus status) {
    return start(host, port, registry, status, EndpointSecurity.none());
  }

  /**
   * Starts serving with {@code security}; when it is a refusal, serves nothing (fail closed) and
   * says why in one stderr line.
   */
  public static MetricsEndpoint start(
      String host,
      int port,
      PrometheusRegistry registry,
      AgentStatus status,
      EndpointSecurity security) {
    if (security.refusal() != null) {
      AgentLog.error(
          security.refusal()
              + "; /metrics, /health and /ready are not served rather than served unprotected");
      return null;
    }
    ExecutorService executor = executor();
    try {
      HTTPServer.Builder builder =
          HTTPServer.builder()
              .hostname(host)
              .port(port)
              .registry(registry)
              .executorService(executor)
              .defaultHandler(new StatusHandler(status))
              .registerHealthHandler(false);
      // The Prometheus server puts the authenticator on every context it creates: /metrics and /.
      if (security.authenticator() != null) {
        builder.authenticator(security.authenticator());
      }
      if (security.httpsConfigurator() != null) {
        builder.httpsConfigurator(security.httpsConfigurator());
      }
      return new MetricsEndpoint(builder.buildAndStart(), executor);
    } catch (BindException e) {
      AgentLog.error(
          "port "
              + port
              + " on "
              + host
              + " is in use; /metrics, /health and /ready are not served. Set "
              + PORT_KEY
              + " to a free port");
    } catch (IOException | RuntimeException e) {
      AgentLog.error(
          "cannot serve metrics on "
              + host
              + ":"
              + port
              + " ("
              + e
              + "); check OTEL_EXPORTER_PROMETHEUS_HOST and "
              + PORT_KEY);
    }
    executor.shutdownNow();
    return null;
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
    executor.shutdownNow();
  }

  /** Bounded: a few threads and a short queue, so a scrape storm cannot grow memory. */
  private static ExecutorService executor() {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            2,
            2,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(64),
            AgentThreads.daemons("http"),
            new ThreadPoolExecutor.CallerRunsPolicy());
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /** {@code /health}, {@code /ready}, and 404 for everything else. */
  static final class StatusHandler implements HttpHandler {
    private final AgentStatus status;

    StatusHandler(AgentStatus status) {
      this.status = status;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
      try {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/health")) {
          respond(exchange, 200, "application/json", health());
        } else if (path.equals("/health/detailed")) {
          respond(exchange, 200, "application/json", detailedHealth());
        } else if (path.equals("/ready")) {
          boolean ready = status.instrumented();
          respond(exchange, ready ? 200 : 503, "application/json", "{\"ready\":" + ready + "}\n");
        } else {
          respond(exchange, 404, "text/plain; charset=utf-8", "not found: try /metrics\n");
        }
      } finally {
        exchange.close();
      }
    }

    private String health() {
      StringBuilder json =
          new StringBuilder("{\"status\":\"UP\",\"version\":\"")
              .append(escape(status.version()))
              .append("\",\"uptimeSeconds\":")
              .append(status.uptimeSeconds())
              .append(",\"instrumentations\":[");
      String separator = "";
      for (String name : status.instrumentations()) {
        json.append(separator).append('"').append(escape(name)).append('"');
        separator = ",";
      }
      json.append("],\"disabled\":{");
      separator = "";
      for (Map.Entry<String, String> off : status.disabled().entrySet()) {
        json.append(separator)
            .append('"')
            .append(escape(off.getKey()))
            .append("\":\"")
            .append(escape(off.getValue()))
            .append('"');
        separator = ",";
      }
      return json.append("},\"exporter\":\"")
          .append(escape(status.exporterState()))
          .append("\"}\n")
          .toString();
    }

    /** {@code /health} with the dependencies seen and the connection pools. */
    private String detailedHealth() {
      String health = health();
      String details = status.details();
      if (details.isEmpty()) {
        return health;
      }
      return health.substring(0, health.lastIndexOf('}')) + "," + details + "}\n";
    }

    private static void respond(HttpExchange exchange, int code, String type, String body)
        throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
      exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }

    private static String escape(String value) {
      return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
  }
}
