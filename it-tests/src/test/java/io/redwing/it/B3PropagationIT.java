package io.redwing.it;

import static io.redwing.it.OtlpReceiver.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With {@code OTEL_PROPAGATORS} set to B3 alone, a caller's B3 headers continue its trace, and the
 * demo's own outbound call carries B3 to the server it calls (the demo itself), whose span then
 * continues the same trace: B3 read by the servlet advice and written by the HTTP client's.
 */
class B3PropagationIT {
  private static final String TRACE_ID = "463ac35c9f6413ad48485a3953bb6124";
  private static final String SPAN_ID = "a2fb4a1d1a96d312";

  @ParameterizedTest
  @ValueSource(strings = {"b3multi", "b3"})
  void aCallersB3HeadersContinueItsTraceThroughTheOutboundCall(String propagator) {
    String[] headers =
        propagator.equals("b3")
            ? new String[] {"b3", TRACE_ID + "-" + SPAN_ID + "-1"}
            : new String[] {"X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "1"};
    try (OtlpReceiver receiver = OtlpReceiver.start();
        Demo demo =
            Demo.withAgent(
                "b3-" + propagator,
                Map.of(
                    "OTEL_PROPAGATORS",
                    propagator,
                    "OTEL_TRACES_EXPORTER",
                    "otlp",
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    receiver.endpoint(),
                    "OTEL_BSP_SCHEDULE_DELAY",
                    "100"))) {
      assertThat(demo.get("/outbound?to=/hello", headers).statusCode()).isEqualTo(200);

      // the caller's server span, its client span, and the server span of the call it made
      List<OtlpReceiver.ReceivedSpan> trace =
          receiver.awaitSpans(
              "three spans in trace " + TRACE_ID,
              3,
              s -> hex(s.span().getTraceId()).equals(TRACE_ID));
      Span outbound = named(trace, "GET /outbound");
      Span client = only(trace, Span.SpanKind.SPAN_KIND_CLIENT);
      Span hello = named(trace, "GET /hello");

      assertThat(hex(outbound.getParentSpanId())).as("the caller's span").isEqualTo(SPAN_ID);
      assertThat(hex(client.getParentSpanId())).isEqualTo(hex(outbound.getSpanId()));
      assertThat(hex(hello.getParentSpanId()))
          .as("continued from the B3 headers the client sent")
          .isEqualTo(hex(client.getSpanId()));
      assertThat(demo.app.stderrLinesContaining("propagator")).isEmpty();
    }
  }

  private static Span named(List<OtlpReceiver.ReceivedSpan> spans, String name) {
    return spans.stream()
        .map(OtlpReceiver.ReceivedSpan::span)
        .filter(s -> s.getName().equals(name))
        .reduce(
            (a, b) -> {
              throw new AssertionError("two spans named " + name);
            })
        .orElseThrow(() -> new AssertionError("no span named " + name + " in " + spans));
  }

  private static Span only(List<OtlpReceiver.ReceivedSpan> spans, Span.SpanKind kind) {
    List<Span> matching =
        spans.stream()
            .map(OtlpReceiver.ReceivedSpan::span)
            .filter(s -> s.getKind() == kind)
            .toList();
    assertThat(matching).hasSize(1);
    return matching.get(0);
  }
}
