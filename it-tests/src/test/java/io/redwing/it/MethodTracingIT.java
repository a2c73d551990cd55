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
  private static final String SCORING = "com.acme.loans.Scoring";
  private static final String METHOD_DURATION = "redwing_method_duration_seconds_count";
  private static final String INCLUDE = "otel.instrumentation.methods.include";
  private static final String ANNOTATIONS =
      "redwing.instrumentation.opentelemetry-instrumentation-annotations.enabled";

  @Test
  void listedAndAnnotatedMethodsAreSpansInTheRequestsTraceAndSeriesOnTheEndpoint() {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LoanApp app =
            LoanApp.start(
                receiver, "-Dotel.instrumentation.methods.include=" + SERVICE + "[decide]")) {
      String metricsUrl = app.metricsUrl;
      var approved = Http.get(app.url("ada9x"));
      assertThat(approved.statusCode()).isEqualTo(200);
      assertThat(approved.body()).isEqualTo("approved ada9x\n");
      var rejected = Http.get(app.url(""));
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
      assertThat(app.process.isAlive()).isTrue();
    }
  }

  @Test
  void setSwitchesTracingFromOneMethodToAnotherAndWithSpanOffWhileEveryRequestSucceeds()
      throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LoanApp app = LoanApp.start(receiver, "-XX:+EnableDynamicAgentLoading");
        SteadyLoad load =
            new SteadyLoad("loan-load", i -> app.url("a" + i), i -> "approved a" + i + "\n")) {
      String pid = Long.toString(app.process.pid());
      load.awaitMore(3);
      assertThat(app.scrape().samples(METHOD_DURATION))
          .as("only @WithSpan's method before any list is set")
          .extracting(sample -> sample.labels().get("code_namespace"))
          .containsOnly(SCORING);
      AttachIT.CliRun idle = AttachIT.cli("status", pid);
      assertThat(idle.output())
          .containsPattern("(?m)^  methods +idle \\(the configuration lists nothing for it\\)$");

      // a list set live: the running service's method becomes a span and a series
      AttachIT.CliRun traceDecide = AttachIT.cli("set", pid, INCLUDE + "=" + SERVICE + "[decide]");
      System.out.println("[it] set:\n" + traceDecide.output());
      assertThat(traceDecide.exitCode()).as(traceDecide.output()).isZero();
      assertThat(traceDecide.output())
          .contains(INCLUDE + ": (none) -> " + SERVICE + "[decide]")
          .contains(
              "instrumentation methods: idle (the configuration lists nothing for it) -> active");
      long decideSet = sinceEpochNanos();
      load.awaitMore(3);
      assertThat(calls(app.scrape(), SERVICE, "decide", "")).isPositive();
      OtlpReceiver.ReceivedSpan decide =
          receiver
              .awaitSpans(
                  "LoanService.decide after the set",
                  1,
                  s -> startedAfter(s, "LoanService.decide", decideSet))
              .get(0);
      assertThat(decide.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
      assertThat(decide.attribute("code.function")).isEqualTo("decide");
      // the server span ends after its children, so it may come in a later export batch
      assertThat(
              receiver.awaitSpans(
                  "the server span decide's span is a child of",
                  1,
                  s -> s.span().getSpanId().equals(decide.span().getParentSpanId())))
          .extracting(s -> s.span().getKind())
          .containsExactly(Span.SpanKind.SPAN_KIND_SERVER);

      AttachIT.CliRun status = AttachIT.cli("status", pid);
      System.out.println("[it] status:\n" + status.output());
      assertThat(status.exitCode()).as(status.output()).isZero();
      assertThat(status.output())
          .containsPattern("(?m)^  methods +active$")
          .containsPattern("(?m)^  opentelemetry-instrumentation-annotations +active$")
          .contains("\n  " + INCLUDE + "=" + SERVICE + "[decide]\n");
      assertThat(LiveControlIT.count(status.output(), "method")).isPositive();

      // another list: the first method records no more, the new one does
      AttachIT.CliRun traceVerdict =
          AttachIT.cli("set", pid, INCLUDE + "=" + SERVICE + "[verdict]");
      System.out.println("[it] set:\n" + traceVerdict.output());
      assertThat(traceVerdict.exitCode()).as(traceVerdict.output()).isZero();
      assertThat(traceVerdict.output())
          .contains(INCLUDE + ": " + SERVICE + "[decide] -> " + SERVICE + "[verdict]");
      load.awaitMore(2); // the request in flight during the set has answered
      long verdictSet = sinceEpochNanos();
      Scrape switched = app.scrape();
      load.awaitMore(10);
      Scrape later = app.scrape();
      assertThat(calls(later, SERVICE, "decide", ""))
          .isEqualTo(calls(switched, SERVICE, "decide", ""));
      assertThat(calls(later, SERVICE, "verdict", ""))
          .isGreaterThanOrEqualTo(calls(switched, SERVICE, "verdict", "") + 9);
      receiver.awaitSpans(
          "LoanService.verdict", 1, s -> startedAfter(s, "LoanService.verdict", verdictSet));
      awaitServerSpanAfter(receiver, verdictSet);
      assertThat(receiver.spans(s -> startedAfter(s, "LoanService.decide", verdictSet))).isEmpty();

      // @WithSpan switched off: no more scoring spans or series observations
      AttachIT.CliRun annotationsOff = AttachIT.cli("set", pid, ANNOTATIONS + "=false");
      System.out.println("[it] set:\n" + annotationsOff.output());
      assertThat(annotationsOff.exitCode()).as(annotationsOff.output()).isZero();
      assertThat(annotationsOff.output())
          .contains(ANNOTATIONS + ": true -> false")
          .contains(
              "instrumentation opentelemetry-instrumentation-annotations: active -> disabled");
      load.awaitMore(2);
      long annotationsSet = sinceEpochNanos();
      switched = app.scrape();
      load.awaitMore(10);
      later = app.scrape();
      assertThat(calls(later, SCORING, "score", ""))
          .isEqualTo(calls(switched, SCORING, "score", ""));
      assertThat(calls(later, SERVICE, "verdict", ""))
          .isGreaterThanOrEqualTo(calls(switched, SERVICE, "verdict", "") + 9);
      awaitServerSpanAfter(receiver, annotationsSet);
      assertThat(receiver.spans(s -> startedAfter(s, "score applicant", annotationsSet))).isEmpty();

      // an empty list: method tracing is idle again
      AttachIT.CliRun nothing = AttachIT.cli("set", pid, INCLUDE + "=");
      System.out.println("[it] set:\n" + nothing.output());
      assertThat(nothing.exitCode()).as(nothing.output()).isZero();
      assertThat(nothing.output())
          .contains(INCLUDE + ": " + SERVICE + "[verdict] -> (none)")
          .contains("instrumentation methods: active -> idle");
      load.awaitMore(2);
      switched = app.scrape();
      load.awaitMore(10);
      assertThat(calls(app.scrape(), SERVICE, "verdict", ""))
          .isEqualTo(calls(switched, SERVICE, "verdict", ""));

      load.stop();
      assertThat(load.failures).isEmpty();
      assertThat(load.succeeded.get()).isGreaterThan(40);
    }
  }

  private static long sinceEpochNanos() {
    return System.currentTimeMillis() * 1_000_000L;
  }

  private static boolean startedAfter(OtlpReceiver.ReceivedSpan span, String name, long nanos) {
    return span.span().getName().equals(name) && span.span().getStartTimeUnixNano() > nanos;
  }

  /**
   * A server span exported means the spans of its request, which end before it, were exported too.
   */
  private static void awaitServerSpanAfter(OtlpReceiver receiver, long nanos) {
    receiver.awaitSpans(
        "a server span started later",
        1,
        s ->
            s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER
                && s.span().getStartTimeUnixNano() > nanos);
  }

  private static double calls(Scrape scrape, String namespace, String function, String error) {
    return scrape.valueOrZero(
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

  /** The loan application, compiled from its sources, with the agent and an OTLP exporter. */
  private static final class LoanApp implements AutoCloseable {
    final ForkedApp process;
    final String metricsUrl;
    private final int port;

    private LoanApp(ForkedApp process, int port, int metricsPort) {
      this.process = process;
      this.port = port;
      this.metricsUrl = "http://127.0.0.1:" + metricsPort;
    }

    static LoanApp start(OtlpReceiver receiver, String jvmArg) {
      List<Path> libraries = AppCompiler.jarsIn(Artifacts.methodAppLibraries());
      // -parameters: an unnamed @SpanAttribute takes its parameter's name
      Path classes =
          AppCompiler.compile(
              Artifacts.methodAppSources(), "method-app-classes", libraries, "-parameters");
      int port = FreePort.find();
      int metricsPort = FreePort.find();
      ForkedApp process =
          ForkedApp.builder("method-tracing")
              .javaagent(Artifacts.agentJar(), null)
              .jvmArg(jvmArg)
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
              .mainClass(AppCompiler.classPath(classes, libraries), MAIN)
              .arg(Integer.toString(port))
              .start();
      LoanApp app = new LoanApp(process, port, metricsPort);
      try {
        process.awaitOutput("loan app listening on port " + port, Await.STARTUP);
        process.awaitAgentReady(metricsPort);
      } catch (RuntimeException | AssertionError e) {
        process.close();
        throw e;
      }
      return app;
    }

    String url(String applicant) {
      return "http://127.0.0.1:" + port + "/loans?applicant=" + applicant;
    }

    Scrape scrape() {
      return Scrape.of(metricsUrl + "/metrics");
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
