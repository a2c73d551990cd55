package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.redwing.bootstrap.HttpServerRequest;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import org.junit.jupiter.api.Test;

class ExceptionsMetricTest {
  private final RedMetrics metrics = new RedMetrics("1.2.3", 2000);
  private final OperationDispatcher dispatcher =
      new OperationDispatcher(metrics, OpenTelemetry.noop(), "1.2.3", Set.of(), true);

  private void request(String route, int status, Throwable error) {
    HttpServerRequest request = TestRequests.get("/p", null, null, null);
    dispatcher.endHttpServer(dispatcher.startHttpServer(request), status, route, error);
  }

  private List<String> exceptionLines() throws IOException {
    String text = PrometheusTextFormatWriter.create().toDebugString(metrics.registry().scrape());
    return text.lines().filter(l -> l.startsWith(RedMetrics.EXCEPTIONS)).toList();
  }

  private static Throwable distinctException(int i) throws ReflectiveOperationException {
    Class<? extends RuntimeException> type =
        new ByteBuddy()
            .subclass(RuntimeException.class)
            .name("io.redwing.testapp.Failure" + i)
            .make()
            .load(ExceptionsMetricTest.class.getClassLoader())
            .getLoaded();
    return type.getConstructor().newInstance();
  }

  @Test
  void eachServerExceptionIsCountedByClassAndRoute() throws Exception {
    request("/owners/{id}", 500, new IllegalStateException("boom"));
    request("/owners/{id}", 500, new IllegalStateException("again"));
    request("/pets", 500, new java.io.UncheckedIOException(new IOException("x")));
    request("/pets", 503, null);
    request("/pets", 200, null);

    assertThat(exceptionLines())
        .containsExactlyInAnyOrder(
            "redwing_exceptions_total{exception_type=\"java.io.UncheckedIOException\","
                + "http_route=\"/pets\"} 1.0",
            "redwing_exceptions_total{exception_type=\"java.lang.IllegalStateException\","
                + "http_route=\"/owners/{id}\"} 2.0");
  }

  @Test
  void exceptionClassesBeyondTheCapFoldIntoTheOverflowValue() throws Exception {
    for (int i = 0; i < RedMetrics.EXCEPTION_TYPE_LIMIT; i++) {
      request("/r", 500, new IllegalStateException());
    }
    // 99 more classes fill the cap; the 6 after them overflow
    for (int i = 0; i < RedMetrics.EXCEPTION_TYPE_LIMIT + 5; i++) {
      request("/r", 500, distinctException(i));
    }

    List<String> lines = exceptionLines();
    assertThat(lines)
        .hasSize(RedMetrics.EXCEPTION_TYPE_LIMIT + 1)
        .contains(
            "redwing_exceptions_total{exception_type=\"java.lang.IllegalStateException\","
                + "http_route=\"/r\"} 100.0",
            "redwing_exceptions_total{exception_type=\"_overflow\",http_route=\"/r\"} 6.0");
  }
}
