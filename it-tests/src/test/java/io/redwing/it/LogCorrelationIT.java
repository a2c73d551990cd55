package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The demo's own Logback lines show the ids of the request they were logged in. */
class LogCorrelationIT {
  private static final String TRACE_ID = "5bf92f3577b34da6a3ce929d0e0e4736";

  private static List<String> lines(Demo demo, String text) {
    return demo.app.stdout().lines().filter(l -> l.contains(text)).collect(Collectors.toList());
  }

  @Test
  void applicationLogLinesCarryTraceSpanAndRequestIds() {
    try (Demo demo = Demo.withAgent("log-correlation", Map.of())) {
      assertThat(
              demo.get(
                      "/orders/7",
                      "traceparent",
                      "00-" + TRACE_ID + "-00f067aa0ba902b7-01",
                      "X-Request-ID",
                      "req-log-7")
                  .body())
          .isEqualTo("order 7\n");
      assertThat(demo.get("/orders/8").body()).isEqualTo("order 8\n");
      Await.until("two order lines", Await.STARTUP, () -> lines(demo, "looked up").size() == 2);

      assertThat(lines(demo, "order 7 looked up"))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .containsPattern(
                          "trace_id=" + TRACE_ID + " span_id=[0-9a-f]{16} request_id=req-log-7 "));
      // the next request on a pooled thread has its own ids, not the previous one's
      assertThat(lines(demo, "order 8 looked up"))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .containsPattern(
                          "trace_id=[0-9a-f]{32} span_id=[0-9a-f]{16} request_id=\\S+ ")
                      .doesNotContain(TRACE_ID, "req-log-7"));
    }
  }

  /**
   * The switch keeps the ids out of the MDC only: the agent still handles the request (its id comes
   * back on the response), so the empty ids are the setting's doing, not a missing agent.
   */
  @Test
  void withLogCorrelationSwitchedOffTheLinesOfATracedRequestHaveEmptyIds() {
    try (Demo demo =
        Demo.withAgent(
            "log-correlation-disabled", Map.of("REDWING_LOG_CORRELATION_ENABLED", "false"))) {
      HttpResponse<String> response =
          demo.get(
              "/orders/10",
              "traceparent",
              "00-" + TRACE_ID + "-00f067aa0ba902b7-01",
              "X-Request-ID",
              "req-log-10");
      assertThat(response.body()).isEqualTo("order 10\n");
      assertThat(response.headers().firstValue("X-Request-ID")).hasValue("req-log-10");
      Await.until("the order line", Await.STARTUP, () -> lines(demo, "looked up").size() == 1);

      assertThat(lines(demo, "order 10 looked up"))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .contains("trace_id= span_id= request_id= ")
                      .doesNotContain(TRACE_ID, "req-log-10"));
    }
  }

  @Test
  void withoutTheAgentTheSameLinesHaveEmptyIds() {
    try (Demo demo = Demo.withoutAgent("log-correlation-off", Map.of())) {
      assertThat(demo.get("/orders/9").body()).isEqualTo("order 9\n");
      Await.until("the order line", Await.STARTUP, () -> lines(demo, "looked up").size() == 1);
      assertThat(lines(demo, "order 9 looked up"))
          .singleElement()
          .satisfies(l -> assertThat(l).contains("trace_id= span_id= request_id= "));
    }
  }
}
