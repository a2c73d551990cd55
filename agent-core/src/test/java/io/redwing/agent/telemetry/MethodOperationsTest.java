package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.Operation;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MethodOperationsTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = InMemoryTracing.sdk(exporter);
  private final RedMetrics metrics = new RedMetrics("1.2.3", 2000);
  private final OperationDispatcher dispatcher =
      new OperationDispatcher(metrics, sdk, "1.2.3", Set.of(), true);

  /** Stands for an application class with OpenTelemetry's annotations. */
  static final class Orders {
    @WithSpan
    void place(@SpanAttribute("order.id") String id, String card, @SpanAttribute long cents) {}

    @WithSpan(value = "charge card", kind = SpanKind.CLIENT)
    void charge() {}

    @WithSpan(inheritContext = false)
    void detached() {}
  }

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  private String counts() throws Exception {
    return PrometheusTextFormatWriter.create()
        .toDebugString(metrics.registry().scrape())
        .lines()
        .filter(l -> l.startsWith("redwing_method_duration_seconds_count"))
        .reduce("", (a, b) -> a + b + "\n");
  }

  private SpanData span(String name) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " in " + exporter.getFinishedSpanItems()));
  }

  @Test
  void aListedMethodIsAnInternalSpanAndAnObservationByClassAndMethod() throws Exception {
    Operation op = dispatcher.startMethod(Orders.class, "place", null, null);
    dispatcher.endMethod(op, null, null);

    SpanData span = span("MethodOperationsTest$Orders.place");
    assertThat(span.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("code.namespace")))
        .isEqualTo(Orders.class.getName());
    assertThat(span.getAttributes().get(AttributeKey.stringKey("code.function")))
        .isEqualTo("place");
    assertThat(counts())
        .isEqualTo(
            "redwing_method_duration_seconds_count{code_function=\"place\",code_namespace=\""
                + Orders.class.getName()
                + "\",error_type=\"\"} 1\n");
  }

  @Test
  void theMethodsSpanParentsWhatRunsInsideItAndEndsAsAChildOfTheCurrentSpan() {
    Span outer = sdk.getTracer("test").spanBuilder("request").startSpan();
    try (var scope = outer.makeCurrent()) {
      Operation method = dispatcher.startMethod(Orders.class, "place", null, null);
      Operation query =
          dispatcher.startDbClient(
              new DbClientRequest(
                  "jdbc", "postgresql", "shop", "db", 5432, "SELECT", "select 1", 1));
      dispatcher.endDbClient(query, null);
      dispatcher.endMethod(method, null, null);
      assertThat(Span.current()).isSameAs(outer);
    }
    outer.end();

    SpanData method = span("MethodOperationsTest$Orders.place");
    assertThat(method.getParentSpanId()).isEqualTo(outer.getSpanContext().getSpanId());
    assertThat(exporter.getFinishedSpanItems())
        .filteredOn(s -> s.getKind() == SpanKind.CLIENT)
        .singleElement()
        .satisfies(q -> assertThat(q.getParentSpanId()).isEqualTo(method.getSpanId()));
  }

  @Test
  void anExceptionIsTheErrorTypeOfTheSpanAndTheObservation() throws Exception {
    Operation op = dispatcher.startMethod(Orders.class, "charge", null, null);
    dispatcher.endMethod(op, new IllegalStateException("declined"), null);

    SpanData span = span("MethodOperationsTest$Orders.charge");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(span.getEvents()).extracting(e -> e.getName()).containsExactly("exception");
    assertThat(counts()).contains("error_type=\"java.lang.IllegalStateException\"} 1");
  }

  @Test
  void withSpanGivesNameKindAndAttributesFromTheAnnotations() throws Exception {
    Operation charge = dispatcher.startMethod(Orders.class, "charge", "()V", null);
    dispatcher.endMethod(charge, null, null);
    Operation place =
        dispatcher.startMethod(
            Orders.class,
            "place",
            "(Ljava/lang/String;Ljava/lang/String;J)V",
            new Object[] {"o-1", "4111 1111", 2500L});
    dispatcher.endMethod(place, null, null);

    assertThat(span("charge card").getKind()).isEqualTo(SpanKind.CLIENT);
    SpanData placed = span("MethodOperationsTest$Orders.place");
    assertThat(placed.getAttributes().get(AttributeKey.stringKey("order.id"))).isEqualTo("o-1");
    // unnamed @SpanAttribute: the parameter's name, when compiled with -parameters; never the card
    assertThat(placed.getAttributes().asMap().values()).doesNotContain("4111 1111");
    assertThat(counts())
        .contains("code_function=\"charge\"")
        .contains("code_function=\"place\"")
        .doesNotContain("o-1");
  }

  @Test
  void inheritContextFalseStartsANewTrace() {
    Span outer = sdk.getTracer("test").spanBuilder("request").startSpan();
    try (var scope = outer.makeCurrent()) {
      dispatcher.endMethod(
          dispatcher.startMethod(Orders.class, "detached", "()V", null), null, null);
    }
    outer.end();

    assertThat(span("MethodOperationsTest$Orders.detached").getTraceId())
        .isNotEqualTo(outer.getSpanContext().getTraceId());
  }

  @Test
  void aReturnedFutureEndsTheSpanWhenItCompletesAndItsFailureIsTheError() throws Exception {
    CompletableFuture<String> future = new CompletableFuture<>();
    Operation op = dispatcher.startMethod(Orders.class, "charge", null, null);
    dispatcher.endMethod(op, null, future);

    assertThat(Span.current().getSpanContext().isValid()).isFalse();
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
    assertThat(counts()).isEmpty();

    future.completeExceptionally(new java.io.IOException("gateway down"));

    assertThat(span("MethodOperationsTest$Orders.charge").getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("error.type"), "java.io.IOException");
    assertThat(counts()).contains("error_type=\"java.io.IOException\"} 1");
  }

  @Test
  void longAttributeValuesAreCut() {
    assertThat(SpanRecorder.attributeValue("x".repeat(5000))).hasSize(1024);
    assertThat(SpanRecorder.attributeValue(new int[] {1, 2})).isEqualTo("[1, 2]");
    assertThat(SpanRecorder.attributeValue(List.of("a"))).isEqualTo("[a]");
  }

  @Test
  void theDescriptorIsTheJvmsOne() throws Exception {
    assertThat(
            TracedMethods.descriptor(
                Orders.class.getDeclaredMethod("place", String.class, String.class, long.class)))
        .isEqualTo("(Ljava/lang/String;Ljava/lang/String;J)V");
    assertThat(TracedMethods.descriptor(String.class.getMethod("split", String.class, int.class)))
        .isEqualTo("(Ljava/lang/String;I)[Ljava/lang/String;");
  }
}
