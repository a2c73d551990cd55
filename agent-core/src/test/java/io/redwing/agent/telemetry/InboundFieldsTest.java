package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import org.junit.jupiter.api.Test;

class InboundFieldsTest {
  @Test
  void theW3CPropagatorsNeedNoOtherHeaders() {
    ContextPropagators w3c =
        ContextPropagators.create(
            TextMapPropagator.composite(
                W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance()));

    assertThat(SpanRecorder.inboundFields(w3c)).isEmpty();
  }

  @Test
  void b3NeedsItsOwnHeadersOnceEach() {
    ContextPropagators b3 =
        ContextPropagators.create(
            TextMapPropagator.composite(
                W3CTraceContextPropagator.getInstance(),
                B3Propagator.injectingMultiHeaders(),
                B3Propagator.injectingSingleHeader()));

    assertThat(SpanRecorder.inboundFields(b3))
        .contains("b3", "X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled")
        .doesNotContain("traceparent")
        .doesNotHaveDuplicates();
  }
}
