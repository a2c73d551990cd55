package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's /background hands two queries to a thread pool (one as a CompletableFuture stage): the
 * spans of both arrive as children of that request's server span, each request in its own trace.
 */
class ContextAcrossThreadsIT {
  private static OtlpReceiver receiver;
  private static Demo demo;

  @BeforeAll
  static void startDemo() {
    receiver = OtlpReceiver.start();
    demo =
        Demo.withAgent(
            "context-it",
            Map.of(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_BSP_SCHEDULE_DELAY", "100"));
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void queriesOnPoolThreadsAreChildrenOfTheRequestThatHandedThemOver() {
    demo.getOk("/background", "pets: 3, starting with B: 1\n");
    demo.getOk("/background", "pets: 3, starting with B: 1\n");

    List<OtlpReceiver.ReceivedSpan> servers =
        receiver.awaitSpans(
            "GET /background", 2, s -> s.span().getName().equals("GET /background"));
    List<OtlpReceiver.ReceivedSpan> queries =
        receiver.awaitSpans("queries on pets", 4, ContextAcrossThreadsIT::isPetsQuery);

    assertThat(servers).hasSize(2);
    assertThat(queries).hasSize(4);
    for (OtlpReceiver.ReceivedSpan server : servers) {
      Span s = server.span();
      List<Span> children =
          queries.stream()
              .map(OtlpReceiver.ReceivedSpan::span)
              .filter(q -> q.getTraceId().equals(s.getTraceId()))
              .toList();
      assertThat(children)
          .as("queries in the trace of request span %s", s.getSpanId())
          .hasSize(2)
          .allSatisfy(q -> assertThat(q.getParentSpanId()).isEqualTo(s.getSpanId()))
          .allSatisfy(q -> assertThat(q.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT));
    }
    assertThat(servers.get(0).span().getTraceId()).isNotEqualTo(servers.get(1).span().getTraceId());
  }

  private static boolean isPetsQuery(OtlpReceiver.ReceivedSpan span) {
    // the demo's CREATE and MERGE at start-up are on pets too, outside any request
    return "pets".equalsIgnoreCase(span.attribute("db.collection.name"))
        && "SELECT".equals(span.attribute("db.operation.name"));
  }
}
