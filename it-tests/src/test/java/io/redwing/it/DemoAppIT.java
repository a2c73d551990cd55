package io.redwing.it;

import static io.redwing.it.OtlpReceiver.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo with the agent: one round of traffic, then what /metrics and OTLP show for it. */
class DemoAppIT {

  private static final String DURATION = "http_server_request_duration_seconds";
  private static final int OWNERS = 5;
  private static final int HELLOS = 3;
  private static final int ERRORS = 2;
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";
  private static final String SENT_REQUEST_ID = "it-request-id-42";

  private static OtlpReceiver receiver;
  private static Demo demo;
  private static HttpResponse<String> withRequestId;
  private static HttpResponse<String> withoutRequestId;

  @BeforeAll
  static void startDemoAndSendTraffic() {
    receiver = OtlpReceiver.start();
    demo =
        Demo.withAgent(
            "demo-app-it",
            Map.of(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                // the exporter's own settings pass through to the SDK as they are
                "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip",
                "OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=acme",
                "OTEL_BSP_SCHEDULE_DELAY", "100"));

    for (int id = 1; id <= OWNERS; id++) {
      String[] headers =
          switch (id) {
            case 1 -> new String[] {"traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01"};
            case 2 -> new String[] {"X-Request-ID", SENT_REQUEST_ID};
            default -> new String[0];
          };
      HttpResponse<String> response = demo.get("/owners/" + id, headers);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{\"id\":" + id + ",\"name\":\"Owner " + id + "\"}");
      if (id == 2) {
        withRequestId = response;
      } else if (id == 3) {
        withoutRequestId = response;
      }
    }
    for (int i = 0; i < HELLOS; i++) {
      demo.getOk("/hello", "hello from the demo\n");
    }
    for (int i = 0; i < ERRORS; i++) {
      assertThat(demo.get("/error").statusCode()).isEqualTo(500);
    }
    demo.getOk("/async", "async done\n");
    demo.getOk("/slow?ms=300", "slept 300 ms\n");
    System.out.println("[it] DemoAppIT: traffic sent");
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
  void countsEachRouteTemplateWithExactLabels() {
    Scrape scrape = scrapeWhenAllRecorded();

    List<Scrape.Sample> owners = scrape.matching(DURATION + "_count", route("/owners/{id}"));
    assertThat(owners).hasSize(1);
    assertThat(nonEmpty(owners.get(0).labels()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "http_request_method", "GET",
                "http_response_status_code", "200",
                "http_route", "/owners/{id}",
                "url_scheme", "http"));
    assertThat(owners.get(0).value()).isEqualTo(OWNERS);
    assertThat(scrape.value(DURATION + "_count", route("/hello"))).isEqualTo(HELLOS);
    assertThat(scrape.value(DURATION + "_count", route("/async"))).isEqualTo(1);
    assertThat(scrape.value(DURATION + "_count", route("/slow"))).isEqualTo(1);
  }

  @Test
  void measuresTheFullDurationOfSlowAndAsyncRequests() {
    Scrape scrape = scrapeWhenAllRecorded();

    assertThat(scrape.value(DURATION + "_sum", route("/slow"))).isBetween(0.3, 2.0);
    // The deferred result completes 50 ms later on another thread; the request lasts until then.
    assertThat(scrape.value(DURATION + "_sum", route("/async"))).isBetween(0.05, 2.0);
  }

  @Test
  void recordsServerErrorsWithStatusAndErrorType() {
    Scrape scrape = scrapeWhenAllRecorded();

    List<Scrape.Sample> errors = scrape.matching(DURATION + "_count", route("/error"));
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).value()).isEqualTo(ERRORS);
    assertThat(errors.get(0).labels())
        .containsEntry("http_response_status_code", "500")
        .hasEntrySatisfying("error_type", type -> assertThat(type).isNotBlank());
  }

  @Test
  void exposesSemanticConventionBucketsAndAgentMetrics() {
    Scrape scrape = scrapeWhenAllRecorded();

    List<Scrape.Sample> buckets = scrape.matching(DURATION + "_bucket", route("/owners/{id}"));
    assertThat(buckets.stream().map(b -> b.labels().get("le")).collect(Collectors.toList()))
        .containsExactly(
            "0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1.0", "2.5",
            "5.0", "7.5", "10.0", "+Inf");
    assertThat(buckets.get(buckets.size() - 1).value()).isEqualTo(OWNERS);
    assertThat(scrape.samples("http_server_active_requests")).isNotEmpty();
    Await.until(
        "http_server_active_requests back to 0",
        Await.EXPORT,
        () ->
            demo.scrape().samples("http_server_active_requests").stream()
                .allMatch(sample -> sample.value() == 0));

    List<Scrape.Sample> info = scrape.samples("redwing_agent_info");
    assertThat(info).hasSize(1);
    assertThat(info.get(0).labels()).hasEntrySatisfying("version", v -> assertThat(v).isNotBlank());
    assertThat(info.get(0).value()).isEqualTo(1);
    assertThat(scrape.samples("jvm_memory_used_bytes")).isNotEmpty();
  }

  @Test
  void timesEachBorrowFromTheHikariPoolFromGetConnectionToClose() {
    Scrape scrape = scrapeWhenAllRecorded();
    Map<String, String> demoPool = Map.of("db_client_connection_pool_name", "demo");

    // The seeding at start-up, then one borrow per owner request.
    assertThat(scrape.value("db_client_connection_wait_time_seconds_count", demoPool))
        .isEqualTo(OWNERS + 1);
    assertThat(scrape.value("db_client_connection_use_time_seconds_count", demoPool))
        .isEqualTo(OWNERS + 1);
    assertThat(scrape.value("db_client_connection_timeouts_total", demoPool)).isZero();
  }

  @Test
  void answersHealthAndReady() {
    assertThat(Http.get(demo.agentUrl("/ready")).statusCode()).isEqualTo(200);

    HttpResponse<String> health = Http.get(demo.agentUrl("/health"));

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    String version =
        scrapeWhenAllRecorded().samples("redwing_agent_info").get(0).labels().get("version");
    assertThat(health.body()).contains("\"status\"").contains(version);
  }

  @Test
  void exportsOneServerSpanPerRequestWithRouteAndStatus() {
    List<OtlpReceiver.ReceivedSpan> owners =
        receiver.awaitSpans("GET /owners/{id}", OWNERS, s -> named(s, "GET /owners/{id}"));
    List<OtlpReceiver.ReceivedSpan> errors =
        receiver.awaitSpans("GET /error", ERRORS, s -> named(s, "GET /error"));
    receiver.awaitSpans("GET /hello", HELLOS, s -> named(s, "GET /hello"));

    assertThat(owners).hasSize(OWNERS);
    assertThat(owners)
        .allSatisfy(
            s -> {
              assertThat(s.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
              assertThat(s.attribute("http.route")).isEqualTo("/owners/{id}");
              assertThat(s.attribute("http.request.method")).isEqualTo("GET");
              assertThat(s.attribute("http.response.status_code")).isEqualTo("200");
              assertThat(s.resourceAttribute("service.name"))
                  .isNotBlank()
                  .doesNotStartWith("unknown_service");
            });
    assertThat(errors).hasSize(ERRORS);
    assertThat(errors)
        .allSatisfy(
            s -> {
              assertThat(s.attribute("http.response.status_code")).isEqualTo("500");
              assertThat(s.span().getStatus().getCode())
                  .isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            });
    assertThat(receiver.spans(s -> named(s, "GET /hello"))).hasSize(HELLOS);
  }

  @Test
  void sendsSpansCompressedWithTheConfiguredHeaders() {
    receiver.awaitSpans("GET /hello", HELLOS, s -> named(s, "GET /hello"));

    assertThat(receiver.requestHeaders())
        .isNotEmpty()
        .allSatisfy(
            headers -> {
              assertThat(headers.get("content-encoding")).containsExactly("gzip");
              assertThat(headers.get("x-tenant")).containsExactly("acme");
            });
  }

  @Test
  void continuesTheCallersTraceFromTraceparent() {
    // the server span and the owner query it made, a child of it
    List<OtlpReceiver.ReceivedSpan> continued =
        receiver.awaitSpans(
            "spans in trace " + TRACE_ID, 2, s -> hex(s.span().getTraceId()).equals(TRACE_ID));

    assertThat(continued).hasSize(2);
    Span span =
        continued.stream()
            .filter(s -> named(s, "GET /owners/{id}"))
            .findFirst()
            .orElseThrow()
            .span();
    assertThat(hex(span.getParentSpanId())).isEqualTo(PARENT_SPAN_ID);
    assertThat(hex(span.getSpanId())).isNotEqualTo(PARENT_SPAN_ID);
    Span query =
        continued.stream().filter(s -> named(s, "SELECT owners")).findFirst().orElseThrow().span();
    assertThat(query.getParentSpanId()).isEqualTo(span.getSpanId());
    assertThat(query.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    Set<String> otherTraces =
        receiver.awaitSpans("GET /owners/{id}", OWNERS, s -> named(s, "GET /owners/{id}")).stream()
            .map(s -> hex(s.span().getTraceId()))
            .collect(Collectors.toSet());
    assertThat(otherTraces).hasSize(OWNERS);
  }

  @Test
  void setsAndEchoesRequestIds() {
    assertThat(withRequestId.headers().allValues("X-Request-ID")).containsExactly(SENT_REQUEST_ID);
    assertThat(withoutRequestId.headers().allValues("X-Request-ID"))
        .singleElement()
        .satisfies(id -> assertThat(id).isNotBlank().isNotEqualTo(SENT_REQUEST_ID));
  }

  /** Scrapes until every request sent has been recorded: the server ends them after replying. */
  private static Scrape scrapeWhenAllRecorded() {
    int total = OWNERS + HELLOS + ERRORS + 2;
    return Await.value(
        total + " requests recorded",
        Await.EXPORT,
        () -> {
          Scrape scrape = demo.scrape();
          double recorded =
              scrape.samples(DURATION + "_count").stream().mapToDouble(Scrape.Sample::value).sum();
          return recorded >= total ? scrape : null;
        });
  }

  /** Prometheus treats a label with an empty value as absent ({@code error_type=""}). */
  private static Map<String, String> nonEmpty(Map<String, String> labels) {
    return labels.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty())
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static Map<String, String> route(String route) {
    return Map.of("http_route", route);
  }

  private static boolean named(OtlpReceiver.ReceivedSpan span, String name) {
    return span.span().getName().equals(name);
  }
}
