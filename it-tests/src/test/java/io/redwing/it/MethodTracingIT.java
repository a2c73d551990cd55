package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A loan application with no tracing code: its service's method is listed in {@code
 * -Dotel.instrumentation.methods.include} and its scoring carries OpenTelemetry's
 * {@code @WithSpan}. Each request's trace nests server span, method span, annotated span and query;
 * the method histogram has a series per method and outcome.
 */
class MethodTracingIT {
  private static final String MAIN = "com.acme.loans.LoanApp";
  private static final String SERVICE = "com.acme.loans.LoanService";
  private static final String METHOD_DURATION = "redwing_method_duration_seconds_count";

  @Test
  void listedAndAnnotatedMethodsAreSpansInTheRequestsTraceAndSeriesOnTheEndpoint() {
    List<Path> libraries = AppCompiler.jarsIn(Artifacts.methodAppLibraries());
    // -parameters: an unnamed @SpanAttribute takes its parameter's name
    Path classes =
        AppCompiler.compile(
            Artifacts.methodAppSources(), "method-app-classes", libraries, "-parameters");
    String classPath = AppCompiler.classPath(classes, libraries);
    int port = FreePort.find();
    int metricsPort = FreePort.find();

    try (OtlpReceiver receiver = OtlpReceiver.start();
        ForkedApp app =
            ForkedApp.builder("method-tracing")
                .javaagent(Artifacts.agentJar(), null)
                .jvmArg("-Dotel.instrumentation.methods.include=" + SERVICE + "[decide]")
                .env(
                    Map.of(
                        "OTEL_EXPORTER_PROMETHEUS_PORT",
                        Integer.toString(metricsPort),
                        "OTEL_TRACES_EXPORTER",
                        "otlp",
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        receiver.endpoint(),
                        "OTEL_BSP_SCHEDULE_DELAY",
                        "100"))
                .mainClass(classPath, MAIN)
                .arg(Integer.toString(port))
                .start()) {
      app.awaitOutput("loan app listening on port " + port, Await.STARTUP);
      String metricsUrl = "http://127.0.0.1:" + metricsPort;
      Await.until("agent /ready", Await.STARTUP, () -> Http.status(metricsUrl + "/ready") == 200);

      var approved = Http.get("http://127.0.0.1:" + port + "/loans?applicant=ada9x");
      assertThat(approved.statusCode()).isEqualTo(200);
      assertThat(approved.body()).isEqualTo("approved ada9x\n");
      var rejected = Http.get("http://127.0.0.1:" + port + "/loans?applicant=");
      assertThat(rejected.statusCode()).isEqualTo(422);

      OtlpReceiver.ReceivedSpan server =
          receiver
              .awaitSpans("GET /loans with ada9x", 1, s -> isServer(s, "applicant=ada9x"))
              .get(0);
      List<OtlpReceiver.ReceivedSpan> inTrace =
          receiver.awaitSpans(
              "the approved request's four spans",
              4,
              s -> s.span().getTraceId().equals(server.span().getTraceId()));
      OtlpReceiver.ReceivedSpan decide = named(inTrace, "LoanService.decide");
      OtlpReceiver.ReceivedSpan score = named(inTrace, "score applicant");
      OtlpReceiver.ReceivedSpan query =
          inTrace.stream()
              .filter(s -> "SELECT".equals(s.attribute("db.operation.name")))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no query span in " + inTrace));

      assertThat(decide.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
      assertThat(decide.span().getParentSpanId()).isEqualTo(server.span().getSpanId());
      assertThat(decide.attribute("code.namespace")).isEqualTo(SERVICE);
      assertThat(decide.attribute("code.function")).isEqualTo("decide");
      assertThat(score.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
      assertThat(score.span().getParentSpanId()).isEqualTo(decide.span().getSpanId());
      assertThat(score.attribute("code.namespace")).isEqualTo("com.acme.loans.Scoring");
      assertThat(score.attribute("loan.applicant")).isEqualTo("ada9x");
      assertThat(score.attribute("attempt")).isEqualTo("1");
      assertThat(query.span().getParentSpanId()).isEqualTo(score.span().getSpanId());

      OtlpReceiver.ReceivedSpan failed =
          receiver.awaitSpans("LoanService.decide that threw", 1, MethodTracingIT::threw).get(0);
      assertThat(failed.attribute("error.type")).isEqualTo("java.lang.IllegalArgumentException");
      assertThat(failed.span().getEventsList())
          .extracting(Span.Event::getName)
          .containsExactly("exception");

      Scrape scrape = Scrape.of(metricsUrl + "/metrics");
      assertThat(calls(scrape, SERVICE, "decide", "")).isEqualTo(1);
      assertThat(calls(scrape, SERVICE, "decide", "java.lang.IllegalArgumentException"))
          .isEqualTo(1);
      assertThat(calls(scrape, "com.acme.loans.Scoring", "score", "")).isEqualTo(1);
      // attributes belong to spans only: no argument ever becomes a label value
      assertThat(scrape.samples(METHOD_DURATION)).hasSize(3);
      assertThat(scrape.text()).doesNotContain("ada9x");
      assertThat(app.isAlive()).isTrue();
    }
  }

  private static double calls(Scrape scrape, String namespace, String function, String error) {
    return scrape.value(
        METHOD_DURATION,
        Map.of("code_namespace", namespace, "code_function", function, "error_type", error));
  }

  private static boolean isServer(OtlpReceiver.ReceivedSpan span, String query) {
    return span.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER
        && query.equals(span.attribute("url.query"));
  }

  private static boolean threw(OtlpReceiver.ReceivedSpan span) {
    return span.span().getName().equals("LoanService.decide")
        && span.attribute("error.type") != null;
  }

  private static OtlpReceiver.ReceivedSpan named(
      List<OtlpReceiver.ReceivedSpan> spans, String name) {
    return spans.stream()
        .filter(s -> s.span().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
  }
}
