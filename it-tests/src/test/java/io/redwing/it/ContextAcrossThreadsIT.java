package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's /background hands two queries to a thread pool (one as a CompletableFuture stage): the
 * spans of both arrive as children of that request's server span, each request in its own trace;
 * also after an attach, when the JDK's executor classes and the pool's threads existed before.
 */
class ContextAcrossThreadsIT {
  private static final String ANSWER = "pets: 3, starting with B: 1\n";

  private static Map<String, String> exportingTo(OtlpReceiver receiver) {
    return Map.of(
        "OTEL_TRACES_EXPORTER", "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
        "OTEL_BSP_SCHEDULE_DELAY", "100");
  }

  @Test
  void queriesOnPoolThreadsAreChildrenOfTheRequestThatHandedThemOver() {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        Demo demo = Demo.withAgent("context-it", exportingTo(receiver))) {
      demo.getOk("/background", ANSWER);
      demo.getOk("/background", ANSWER);
      assertEachRequestParentsItsTwoQueries(receiver, 2);
    }
  }

  @Test
  void queriesOnPoolThreadsAreChildrenOfTheirRequestAfterAnAttach() {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        Demo demo = Demo.withoutAgent("context-attach-it", exportingTo(receiver))) {
      // the pool's threads and the JDK's task classes exist and have run before the attach
      demo.getOk("/background", ANSWER);
      AttachIT.CliRun attach = AttachIT.cli("attach", Long.toString(demo.app.pid()));
      assertThat(attach.exitCode()).as(attach.output()).isZero();
      demo.awaitReady();

      demo.getOk("/background", ANSWER);
      demo.getOk("/background", ANSWER);
      assertEachRequestParentsItsTwoQueries(receiver, 2);
    }
  }

  private static void assertEachRequestParentsItsTwoQueries(OtlpReceiver receiver, int requests) {
    List<OtlpReceiver.ReceivedSpan> servers =
        receiver.awaitSpans(
            "GET /background", requests, s -> s.span().getName().equals("GET /background"));
    List<OtlpReceiver.ReceivedSpan> queries =
        receiver.awaitSpans("queries on pets", 2 * requests, ContextAcrossThreadsIT::isPetsQuery);

    assertThat(servers).hasSize(requests);
    assertThat(queries).hasSize(2 * requests);
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
    assertThat(servers.stream().map(s -> s.span().getTraceId()).distinct()).hasSize(requests);
  }

  private static boolean isPetsQuery(OtlpReceiver.ReceivedSpan span) {
    // the demo's CREATE and MERGE at start-up are on pets too, outside any request
    return "pets".equalsIgnoreCase(span.attribute("db.collection.name"))
        && "SELECT".equals(span.attribute("db.operation.name"));
  }
}
