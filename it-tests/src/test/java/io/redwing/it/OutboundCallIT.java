package io.redwing.it;

import static io.redwing.it.OtlpReceiver.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two demo JVMs with the agent: A's {@code /outbound} calls B's {@code /owners/{id}} over real HTTP
 * (java.net.http, or HttpURLConnection), and the trace crosses them: A's server span, A's client
 * span as its child, and B's server span as the client span's child, in one trace; A's metrics
 * count the outbound call.
 */
class OutboundCallIT {
  private static OtlpReceiver receiver;
  private static Demo b;
  private static Demo a;

  @BeforeAll
  static void startTwoDemos() {
    receiver = OtlpReceiver.start();
    b = Demo.withAgent("outbound-b", tracing("demo-b"));
    Map<String, String> envA = new java.util.HashMap<>(tracing("demo-a"));
    envA.put("OUTBOUND_BASE_URL", "http://127.0.0.1:" + b.port);
    a = Demo.withAgent("outbound-a", envA);
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private static Map<String, String> tracing(String service) {
    return Map.of(
        "OTEL_SERVICE_NAME",
        service,
        "OTEL_TRACES_EXPORTER",
        "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        receiver.endpoint(),
        "OTEL_BSP_SCHEDULE_DELAY",
        "100");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "url"})
  void theCalleesServerSpanIsAChildOfTheCallersClientSpan(String client) {
    long id = client.equals("jdk") ? 41 : 42;
    HttpResponse<String> response = a.get("/outbound?to=/owners/" + id + "&client=" + client);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":200");

    Span callee =
        receiver
            .awaitSpans(
                "B's server span for owner " + id,
                1,
                s ->
                    "demo-b".equals(s.resourceAttribute("service.name"))
                        && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER
                        && ("/owners/" + id).equals(s.attribute("url.path")))
            .get(0)
            .span();
    String trace = hex(callee.getTraceId());
    // A's server span ends last, after B's spans (its owner query too) may already be exported.
    receiver.awaitSpans(
        "A's server span in trace " + trace,
        1,
        s ->
            hex(s.span().getTraceId()).equals(trace)
                && "demo-a".equals(s.resourceAttribute("service.name"))
                && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER);
    List<OtlpReceiver.ReceivedSpan> inTrace =
        receiver.spans(s -> hex(s.span().getTraceId()).equals(trace));
    Span clientSpan = only(inTrace, "demo-a", Span.SpanKind.SPAN_KIND_CLIENT);
    Span callerServer = only(inTrace, "demo-a", Span.SpanKind.SPAN_KIND_SERVER);

    assertThat(callerServer.getName()).isEqualTo("GET /outbound");
    assertThat(clientSpan.getName()).isEqualTo("GET");
    assertThat(hex(clientSpan.getParentSpanId())).isEqualTo(hex(callerServer.getSpanId()));
    assertThat(hex(callee.getParentSpanId())).isEqualTo(hex(clientSpan.getSpanId()));
    assertThat(OtlpReceiver.attribute(clientSpan.getAttributesList(), "url.full"))
        .isEqualTo("http://127.0.0.1:" + b.port + "/owners/" + id);
    assertThat(OtlpReceiver.attribute(clientSpan.getAttributesList(), "http.response.status_code"))
        .isEqualTo("200");

    Scrape scrape =
        Await.value(
            "outbound call counted on A",
            Await.EXPORT,
            () -> {
              Scrape s = a.scrape();
              return s.matching(
                          "http_client_request_duration_seconds_count",
                          Map.of(
                              "http_request_method", "GET",
                              "http_response_status_code", "200",
                              "server_address", "127.0.0.1",
                              "server_port", Integer.toString(b.port),
                              "url_scheme", "http"))
                      .isEmpty()
                  ? null
                  : s;
            });
    assertThat(scrape.text()).doesNotContain("/owners/" + id + "\"");
    // The agent's own OTLP exports go through java.net.http too, and must not be recorded.
    assertThat(scrape.samples("http_client_request_duration_seconds_count"))
        .noneMatch(s -> receiver.endpoint().endsWith(":" + s.labels().get("server_port")));
    assertThat(
            receiver.spans(
                s ->
                    s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT
                        && String.valueOf(s.attribute("url.full")).startsWith(receiver.endpoint())))
        .isEmpty();
  }

  private static Span only(
      List<OtlpReceiver.ReceivedSpan> spans, String service, Span.SpanKind kind) {
    List<Span> matching =
        spans.stream()
            .filter(s -> service.equals(s.resourceAttribute("service.name")))
            .filter(s -> s.span().getKind() == kind)
            .map(OtlpReceiver.ReceivedSpan::span)
            .toList();
    assertThat(matching).as("%s spans of %s", kind, service).hasSize(1);
    return matching.get(0);
  }
}
