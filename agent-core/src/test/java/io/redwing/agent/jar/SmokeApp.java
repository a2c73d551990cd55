package io.redwing.agent.jar;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.regex.Pattern;

/**
 * A plain application for {@link AgentJarIT}: once the agent has installed its listener, it records
 * one server request through the bootstrap bridge (reached by reflection, as advice would reach it)
 * and then waits to be scraped.
 */
public final class SmokeApp {
  /** The series the one recorded request leaves on the agent's {@code /metrics}. */
  static final String RECORDED_SERIES =
      "http_server_request_duration_seconds_count{error_type=\"\",http_request_method=\"GET\","
          + "http_response_status_code=\"200\",http_route=\"/smoke\",url_scheme=\"http\"} 1";

  /** The line the agent prints once its endpoint listens on this host only. */
  static final Pattern METRICS_ON =
      Pattern.compile("metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");

  private SmokeApp() {}

  public static void main(String[] args) throws Exception {
    Class<?> operations = awaitBridge();
    Class<?> requestType = Class.forName("io.redwing.bootstrap.HttpServerRequest", true, null);
    Class<?> operationType = Class.forName("io.redwing.bootstrap.Operation", true, null);
    Constructor<?> request =
        requestType.getConstructor(
            String.class,
            String.class,
            String.class,
            String.class,
            int.class,
            String.class,
            String.class,
            String.class,
            String.class,
            String.class,
            String.class,
            String.class,
            String.class);
    Object op =
        operations
            .getMethod("startHttpServer", requestType)
            .invoke(
                null,
                request.newInstance(
                    "smoke",
                    "GET",
                    "http",
                    "localhost",
                    8080,
                    "/smoke",
                    null,
                    null,
                    null,
                    "00-" + args[0] + "-00f067aa0ba902b7-01",
                    null,
                    null,
                    null));
    operations
        .getMethod("endHttpServer", operationType, int.class, String.class, Throwable.class)
        .invoke(null, op, 200, "/smoke", null);
    System.out.println("smoke request recorded");
    Thread.sleep(60_000);
  }

  private static Class<?> awaitBridge() throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        Class<?> operations = Class.forName("io.redwing.bootstrap.Operations", true, null);
        Method installed = operations.getMethod("installed");
        if ((Boolean) installed.invoke(null)) {
          return operations;
        }
      } catch (ClassNotFoundException notYet) {
        // the agent's init thread has not injected the bootstrap jar yet
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("the agent never installed its listener");
  }
}
