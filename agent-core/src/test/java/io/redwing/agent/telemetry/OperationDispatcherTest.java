package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.HttpClientRequest;
import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.Operation;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OperationDispatcherTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_ID = "00f067aa0ba902b7";

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private RedMetrics metrics = new RedMetrics("1.2.3", 2000);
  private OperationDispatcher dispatcher = dispatcher();

  private OperationDispatcher dispatcher() {
    return new OperationDispatcher(metrics, sdk, "1.2.3", Set.of("token", "password"), true);
  }

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  private static HttpServerRequest get(String path, String query, String traceparent, String id) {
    return new HttpServerRequest(
        "servlet-test",
        "GET",
        "http",
        "localhost",
        8080,
        path,
        query,
        "10.0.0.1",
        "curl/8",
        traceparent,
        null,
        null,
        id);
  }

  private String scrape() throws Exception {
    return PrometheusTextFormatWriter.create().toDebugString(metrics.registry().scrape());
  }

  private SpanData finishedClientSpan() {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.CLIENT)
        .findFirst()
        .orElseThrow();
  }

  private static List<String> linesOf(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void aServerRequestBecomesOneObservationWithExactLabels() throws Exception {
    Operation op = dispatcher.startHttpServer(get("/owners/7", null, null, null));
    assertThat(linesOf(scrape(), "http_server_active_requests{"))
        .containsExactly(
            "http_server_active_requests{http_request_method=\"GET\",url_scheme=\"http\"} 1.0");
    dispatcher.endHttpServer(op, 200, "/owners/{id}", null);

    String text = scrape();
    assertThat(linesOf(text, "http_server_request_duration_seconds_count"))
        .containsExactly(
            "http_server_request_duration_seconds_count{error_type=\"\",http_request_method=\"GET\","
                + "http_response_status_code=\"200\",http_route=\"/owners/{id}\",url_scheme=\"http\"} 1");
    assertThat(linesOf(text, "http_server_request_duration_seconds_bucket"))
        .hasSize(15)
        .anyMatch(l -> l.contains("le=\"0.005\""))
        .anyMatch(l -> l.contains("le=\"10.0\""))
        .last()
        .satisfies(l -> assertThat(l).contains("le=\"+Inf\"").endsWith(" 1"));
    assertThat(linesOf(text, "http_server_active_requests{"))
        .containsExactly(
            "http_server_active_requests{http_request_method=\"GET\",url_scheme=\"http\"} 0.0");
    assertThat(linesOf(text, "redwing_agent_info"))
        .containsExactly("redwing_agent_info{version=\"1.2.3\"} 1");
  }

  @Test
  void aServerErrorWithoutExceptionHasItsStatusAsErrorType() throws Exception {
    dispatcher.endHttpServer(
        dispatcher.startHttpServer(get("/x", null, null, null)), 503, "/x", null);
    Operation op = dispatcher.startHttpServer(get("/y", null, null, null));
    dispatcher.endHttpServer(op, 500, "/y", new IllegalStateException("boom"));

    String text = scrape();
    assertThat(linesOf(text, "http_server_request_duration_seconds_count"))
        .containsExactlyInAnyOrder(
            "http_server_request_duration_seconds_count{error_type=\"503\",http_request_method=\"GET\","
                + "http_response_status_code=\"503\",http_route=\"/x\",url_scheme=\"http\"} 1",
            "http_server_request_duration_seconds_count{error_type=\"java.lang.IllegalStateException\","
                + "http_request_method=\"GET\",http_response_status_code=\"500\",http_route=\"/y\","
                + "url_scheme=\"http\"} 1");
    SpanData failed =
        exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("GET /y"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getEvents()).anyMatch(e -> e.getName().equals("exception"));
  }

  @Test
  void theServerSpanContinuesTheCallersTraceWithSemanticAttributes() {
    Operation op =
        dispatcher.startHttpServer(
            get(
                "/owners/7",
                "q=cats&token=s3cret&Password=x",
                "00-" + TRACE_ID + "-" + PARENT_ID + "-01",
                "req-42"));
    assertThat(Span.current().getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
    dispatcher.endHttpServer(op, 201, "/owners/{id}", null);
    assertThat(Span.current().getSpanContext().isValid()).isFalse();

    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("GET /owners/{id}");
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.getParentSpanId()).isEqualTo(PARENT_ID);
    assertThat(span.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("http.request.method"), "GET")
        .containsEntry(AttributeKey.stringKey("url.path"), "/owners/7")
        .containsEntry(
            AttributeKey.stringKey("url.query"), "q=cats&token=REDACTED&Password=REDACTED")
        .containsEntry(AttributeKey.stringKey("url.scheme"), "http")
        .containsEntry(AttributeKey.stringKey("server.address"), "localhost")
        .containsEntry(AttributeKey.longKey("server.port"), 8080L)
        .containsEntry(AttributeKey.stringKey("client.address"), "10.0.0.1")
        .containsEntry(AttributeKey.stringKey("user_agent.original"), "curl/8")
        .containsEntry(AttributeKey.stringKey("http.route"), "/owners/{id}")
        .containsEntry(AttributeKey.longKey("http.response.status_code"), 201L)
        .containsEntry(AttributeKey.stringKey("http.request.header.x-request-id"), "req-42");
    assertThat(op.requestId()).isEqualTo("req-42");
  }

  @Test
  void anInsaneRequestIdIsReplacedByAGeneratedOne() {
    Operation op = dispatcher.startHttpServer(get("/", null, null, "bad id\n"));
    dispatcher.endHttpServer(op, 200, null, null);

    assertThat(op.requestId()).matches("[0-9a-f]{32}");
    assertThat(exporter.getFinishedSpanItems().get(0).getName()).isEqualTo("GET");
  }

  @Test
  void anUnknownMethodIsOther() throws Exception {
    HttpServerRequest request =
        new HttpServerRequest(
            "t", "FOO", "http", null, 0, "/", null, null, null, null, null, null, null);
    dispatcher.endHttpServer(dispatcher.startHttpServer(request), 200, null, null);

    assertThat(linesOf(scrape(), "http_server_request_duration_seconds_count"))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("http_request_method=\"_OTHER\""));
  }

  @Test
  void anAsyncRequestEndedOnAnotherThreadLeavesTheDispatchThreadClean() throws Exception {
    Operation op = dispatcher.startHttpServer(get("/async", null, null, null));
    Thread other = new Thread(() -> dispatcher.endHttpServer(op, 200, "/async", null));
    other.start();
    other.join();
    assertThat(Span.current().getSpanContext().isValid()).isTrue();
    dispatcher.suspendHttpServer(op);
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
  }

  @Test
  void aResumedRequestIsCurrentAgainUntilSuspended() {
    Operation op = dispatcher.startHttpServer(get("/async", null, null, null));
    dispatcher.suspendHttpServer(op);
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
    dispatcher.resumeHttpServer(op);
    assertThat(Span.current().getSpanContext().getTraceId())
        .isEqualTo(((OperationDispatcher.ServerOperation) op).span.getSpanContext().getTraceId());
    dispatcher.endHttpServer(op, 200, "/async", null);
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }

  @Test
  void theHistogramTakesTheServerSpanAsExemplar() throws Exception {
    Operation op = dispatcher.startHttpServer(get("/e", null, null, null));
    String spanId = ((OperationDispatcher.ServerOperation) op).span.getSpanContext().getSpanId();
    dispatcher.endHttpServer(op, 200, "/e", null);

    String openMetrics =
        OpenMetricsTextFormatWriter.create().toDebugString(metrics.registry().scrape());
    assertThat(linesOf(openMetrics, "http_server_request_duration_seconds_bucket"))
        .anyMatch(l -> l.contains("# {span_id=\"" + spanId + "\",trace_id=\""));
  }

  @Test
  @SuppressWarnings("try") // the scope only needs to be open
  void anOutboundCallIsAChildClientSpanThatPropagates() throws Exception {
    Span parent = sdk.getTracer("test").spanBuilder("parent").startSpan();
    Operation op;
    String[] headers;
    try (Scope ignored = parent.makeCurrent()) {
      op =
          dispatcher.startHttpClient(
              new HttpClientRequest(
                  "jdk", "POST", "https://user:pw@api.example.com/v1/pay?token=t&x=1"));
      headers = op.propagationHeaders();
    }
    dispatcher.endHttpClient(op, 502, null);
    parent.end();

    SpanData client = finishedClientSpan();
    assertThat(client.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(client.getAttributes().asMap())
        .containsEntry(
            AttributeKey.stringKey("url.full"), "https://api.example.com/v1/pay?token=REDACTED&x=1")
        .containsEntry(AttributeKey.longKey("http.response.status_code"), 502L);
    assertThat(client.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(headers).hasSize(2);
    assertThat(headers[0]).isEqualTo("traceparent");
    assertThat(headers[1])
        // sampled, and from OpenTelemetry 1.6x possibly the W3C level-2 "random" flag too
        .matches("00-" + client.getTraceId() + "-" + client.getSpanId() + "-0[13]");
    assertThat(linesOf(scrape(), "http_client_request_duration_seconds_count"))
        .containsExactly(
            "http_client_request_duration_seconds_count{error_type=\"502\",http_request_method=\"POST\","
                + "http_response_status_code=\"502\",server_address=\"api.example.com\",server_port=\"443\","
                + "url_scheme=\"https\"} 1");
  }

  /** The exemplar of a client call's duration leads to the call's own span, not its caller's. */
  @Test
  @SuppressWarnings("try") // the scope only needs to be open
  void anOutboundCallsDurationTakesItsOwnSpanAsExemplar() throws Exception {
    Span parent = sdk.getTracer("test").spanBuilder("parent").startSpan();
    Operation op;
    try (Scope ignored = parent.makeCurrent()) {
      op = dispatcher.startHttpClient(new HttpClientRequest("jdk", "GET", "http://api/v1"));
      dispatcher.endHttpClient(op, 200, null);
    }
    parent.end();

    SpanData client = finishedClientSpan();
    String openMetrics =
        OpenMetricsTextFormatWriter.create().toDebugString(metrics.registry().scrape());
    assertThat(linesOf(openMetrics, "http_client_request_duration_seconds_bucket"))
        .anyMatch(l -> l.contains("# {span_id=\"" + client.getSpanId() + "\",trace_id=\""));
    assertThat(client.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("exemplar"), "true");
  }

  /** A URL that ClientUrl leaves to java.net.URI (an IPv6 literal) loses its secrets the same. */
  @Test
  void anOutboundCallToAnIpv6AddressHasItsUrlWithoutSecrets() {
    Operation op =
        dispatcher.startHttpClient(
            new HttpClientRequest("jdk", "GET", "http://user:pw@[::1]:8080/x?token=t#f"));
    dispatcher.endHttpClient(op, 200, null);

    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
    assertThat(exporter.getFinishedSpanItems().get(0).getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("url.full"), "http://[::1]:8080/x?token=REDACTED")
        .containsEntry(AttributeKey.longKey("server.port"), 8080L);
  }

  @Test
  void theResponsesProtocolVersionIsOnTheClientSpanInTheSemanticConventionsForm() throws Exception {
    String[][] reported = {
      {"HTTP_2", "2"}, {"HTTP/2.0", "2"}, {"h2", "2"}, {"HTTP_1_1", "1.1"}, {"http/1.1", "1.1"}
    };
    for (String[] versions : reported) {
      Operation op = dispatcher.startHttpClient(new HttpClientRequest("jdk", "GET", "http://svc/"));
      dispatcher.httpClientProtocol(op, versions[0]);
      dispatcher.endHttpClient(op, 200, null);
    }
    Operation unknown =
        dispatcher.startHttpClient(new HttpClientRequest("jdk", "GET", "http://svc/"));
    dispatcher.httpClientProtocol(unknown, "SPDY/3.1");
    dispatcher.endHttpClient(unknown, 200, null);

    assertThat(exporter.getFinishedSpanItems())
        .extracting(s -> s.getAttributes().get(AttributeKey.stringKey("network.protocol.version")))
        .containsExactly("2", "2", "2", "1.1", "1.1", null);
    assertThat(linesOf(scrape(), "http_client_request_duration_seconds_count"))
        .singleElement()
        .asString()
        .doesNotContain("protocol")
        .endsWith(" 6");
  }

  @Test
  void aClientErrorAnswerOrARefusedConnectionIsTheOutboundCallsErrorType() throws Exception {
    Operation notFound =
        dispatcher.startHttpClient(new HttpClientRequest("jdk", "GET", "http://svc:8080/x"));
    dispatcher.endHttpClient(notFound, 404, null);
    Operation refused =
        dispatcher.startHttpClient(new HttpClientRequest("jdk", "GET", "http://svc:8080/x"));
    dispatcher.endHttpClient(refused, 0, new java.net.ConnectException("Connection refused"));

    assertThat(linesOf(scrape(), "http_client_request_duration_seconds_count"))
        .containsExactlyInAnyOrder(
            "http_client_request_duration_seconds_count{error_type=\"404\",http_request_method=\"GET\","
                + "http_response_status_code=\"404\",server_address=\"svc\",server_port=\"8080\","
                + "url_scheme=\"http\"} 1",
            "http_client_request_duration_seconds_count{error_type=\"java.net.ConnectException\","
                + "http_request_method=\"GET\",http_response_status_code=\"\",server_address=\"svc\","
                + "server_port=\"8080\",url_scheme=\"http\"} 1");
  }

  @Test
  void theAgentsOwnOutboundCallsAreNotRecorded() throws Exception {
    java.util.concurrent.ExecutorService agentThread =
        io.redwing.agent.AgentThreads.fixedPool("test-export", 1);
    try {
      Operation op =
          agentThread
              .submit(
                  () ->
                      dispatcher.startHttpClient(
                          new HttpClientRequest("jdk", "POST", "http://collector:4318/v1/traces")))
              .get();
      assertThat(op).isNull();
    } finally {
      agentThread.shutdownNow();
    }
    assertThat(dispatcher.startHttpClient(new HttpClientRequest("jdk", "GET", "http://svc/")))
        .isNotNull();
  }

  @Test
  void aStatementIsAClientSpanAndAnObservation() throws Exception {
    Operation op =
        dispatcher.startDbClient(
            new DbClientRequest(
                "jdbc",
                "postgresql",
                "shop",
                "db.local",
                5432,
                "SELECT",
                "select * from owners",
                1));
    dispatcher.endDbClient(op, new java.sql.SQLException("gone"));

    SpanData span = exporter.getFinishedSpanItems().get(0);
    // The sanitiser finds the table in the text.
    assertThat(span.getName()).isEqualTo("SELECT owners");
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("db.system.name"), "postgresql")
        .containsEntry(AttributeKey.stringKey("db.namespace"), "shop")
        .containsEntry(AttributeKey.stringKey("db.query.text"), "select * from owners");
    assertThat(linesOf(scrape(), "db_client_operation_duration_seconds_count"))
        .containsExactly(
            "db_client_operation_duration_seconds_count{db_collection_name=\"owners\",db_namespace=\"shop\","
                + "db_operation_name=\"SELECT\",db_system_name=\"postgresql\",error_type=\"java.sql.SQLException\","
                + "server_address=\"db.local\",server_port=\"5432\"} 1");
  }

  @Test
  void aJdbcCommitIsAClientSpanAndAnObservationWithTheConnectionsLabels() throws Exception {
    Operation op =
        dispatcher.startDbClient(
            DbClientRequest.jdbc("COMMIT", null, 0, "jdbc:postgresql://db.local/shop"));
    dispatcher.endDbClient(op, null);

    SpanData span = exporter.getFinishedSpanItems().get(0);
    // Named like every DB span: the operation, then the collection, which a COMMIT has none of.
    assertThat(span.getName()).isEqualTo("COMMIT");
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("db.operation.name"), "COMMIT")
        .doesNotContainKey(AttributeKey.stringKey("db.query.text"));
    assertThat(linesOf(scrape(), "db_client_operation_duration_seconds_count"))
        .containsExactly(
            "db_client_operation_duration_seconds_count{db_collection_name=\"\",db_namespace=\"shop\","
                + "db_operation_name=\"COMMIT\",db_system_name=\"postgresql\",error_type=\"\","
                + "server_address=\"db.local\",server_port=\"5432\"} 1");
  }

  @Test
  void aJdbcStatementIsSanitisedAndDescribedFromItsSqlAndUrl() throws Exception {
    Operation op =
        dispatcher.startDbClient(
            DbClientRequest.jdbc(
                null,
                "SELECT name FROM owners WHERE id IN (1, 2) AND name = 'O''Hara' -- me",
                0,
                "jdbc:postgresql://db.local/shop?user=app&password=secret"));
    dispatcher.endDbClient(op, null);

    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("SELECT owners");
    assertThat(span.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("db.system.name"), "postgresql")
        .containsEntry(AttributeKey.stringKey("db.namespace"), "shop")
        .containsEntry(AttributeKey.stringKey("db.operation.name"), "SELECT")
        .containsEntry(AttributeKey.stringKey("db.collection.name"), "owners")
        .containsEntry(
            AttributeKey.stringKey("db.query.text"),
            "SELECT name FROM owners WHERE id IN (?) AND name = ?")
        .containsEntry(AttributeKey.stringKey("server.address"), "db.local")
        .containsEntry(AttributeKey.longKey("server.port"), 5432L);
    assertThat(linesOf(scrape(), "db_client_operation_duration_seconds_count"))
        .containsExactly(
            "db_client_operation_duration_seconds_count{db_collection_name=\"owners\",db_namespace=\"shop\","
                + "db_operation_name=\"SELECT\",db_system_name=\"postgresql\",error_type=\"\","
                + "server_address=\"db.local\",server_port=\"5432\"} 1");
  }

  @Test
  void newLabelSetsPastTheCapFoldIntoOneOverflowSeries() throws Exception {
    metrics = new RedMetrics("1.2.3", 3);
    dispatcher = dispatcher();
    for (int i = 0; i < 5; i++) {
      dispatcher.endHttpServer(
          dispatcher.startHttpServer(get("/r" + i, null, null, null)), 200, "/r" + i, null);
    }

    String text = scrape();
    assertThat(linesOf(text, "http_server_request_duration_seconds_count")).hasSize(4);
    assertThat(linesOf(text, "http_server_request_duration_seconds_count"))
        .contains(
            "http_server_request_duration_seconds_count{error_type=\"_overflow\",http_request_method=\"_overflow\","
                + "http_response_status_code=\"_overflow\",http_route=\"_overflow\",url_scheme=\"_overflow\"} 2");
    assertThat(linesOf(text, "redwing_metric_overflow_total"))
        .filteredOn(line -> !line.endsWith(" 0.0"))
        .containsExactly(
            "redwing_metric_overflow_total{metric=\"http_server_request_duration_seconds\"} 2.0");
  }

  @Test
  void clientAndDatabaseSeriesPastTheCapFoldIntoTheirOverflowSeriesToo() throws Exception {
    metrics = new RedMetrics("1.2.3", 3);
    dispatcher = dispatcher();
    for (int i = 0; i < 5; i++) {
      dispatcher.endHttpClient(
          dispatcher.startHttpClient(
              new io.redwing.bootstrap.HttpClientRequest(
                  "test", "GET", "http://h" + i + ".example/x")),
          200,
          null);
      dispatcher.endDbClient(
          dispatcher.startDbClient(
              new DbClientRequest(
                  "jdbc", "postgresql", "shop", "db" + i, 5432, "SELECT", "SELECT 1", 0)),
          null);
    }

    String text = scrape();
    assertThat(linesOf(text, "http_client_request_duration_seconds_count")).hasSize(4);
    assertThat(linesOf(text, "db_client_operation_duration_seconds_count")).hasSize(4);
    assertThat(linesOf(text, "redwing_metric_overflow_total"))
        .filteredOn(line -> !line.endsWith(" 0.0"))
        .containsExactlyInAnyOrder(
            "redwing_metric_overflow_total{metric=\"http_client_request_duration_seconds\"} 2.0",
            "redwing_metric_overflow_total{metric=\"db_client_operation_duration_seconds\"} 2.0");
  }

  @Test
  void everyCappedMetricsOverflowCountStartsAtZero() throws Exception {
    assertThat(linesOf(scrape(), "redwing_metric_overflow_total{"))
        .contains(
            "redwing_metric_overflow_total{metric=\"http_server_request_duration_seconds\"} 0.0",
            "redwing_metric_overflow_total{metric=\"db_client_operation_duration_seconds\"} 0.0",
            "redwing_metric_overflow_total{metric=\"redwing_method_duration_seconds\"} 0.0")
        .allMatch(line -> line.endsWith(" 0.0"));
  }

  @Test
  void unboundedDistinctRoutesKeepMemoryBounded() throws Exception {
    metrics = new RedMetrics("1.2.3", 100);
    dispatcher = dispatcher();
    for (int i = 0; i < 100_000; i++) {
      Operation op = dispatcher.startHttpServer(get("/r", null, null, null));
      dispatcher.endHttpServer(op, 200, "/r" + i, null);
    }

    assertThat(metrics.serverDuration.size()).isEqualTo(100);
    assertThat(linesOf(scrape(), "http_server_request_duration_seconds_count")).hasSize(101);
    assertThat(linesOf(scrape(), "redwing_metric_overflow_total"))
        .filteredOn(line -> !line.endsWith(" 0.0"))
        .containsExactly(
            "redwing_metric_overflow_total{metric=\"http_server_request_duration_seconds\"} 99900.0");
  }

  @Test
  void adviceErrorsAreCountedPerInstrumentation() throws Exception {
    dispatcher.adviceFailed("servlet-javax", new IllegalStateException("x"));
    dispatcher.adviceFailed("servlet-javax", new IllegalStateException("y"));

    assertThat(linesOf(scrape(), "redwing_advice_errors_total"))
        .containsExactly("redwing_advice_errors_total{instrumentation=\"servlet-javax\"} 2.0");
  }

  @Test
  void anAppliedInstrumentationsAdviceErrorsStartAtZero() throws Exception {
    assertThat(linesOf(scrape(), "redwing_advice_errors_total{")).isEmpty();

    metrics.instrumentationApplied("jdbc");
    metrics.instrumentationApplied("jdbc");
    dispatcher.adviceFailed("servlet-javax", new IllegalStateException("x"));

    assertThat(linesOf(scrape(), "redwing_advice_errors_total{"))
        .containsExactlyInAnyOrder(
            "redwing_advice_errors_total{instrumentation=\"jdbc\"} 0.0",
            "redwing_advice_errors_total{instrumentation=\"servlet-javax\"} 1.0");
  }

  @Test
  void operationsOfAnotherListenerAreIgnored() {
    Operation foreign = new Operation() {};
    dispatcher.endHttpServer(foreign, 200, null, null);
    dispatcher.endHttpClient(foreign, 200, null);
    dispatcher.endDbClient(foreign, null);
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void aResumeOnAnotherThreadBeforeTheSuspendLeavesBothThreadsClean() throws Exception {
    Operation op = dispatcher.startHttpServer(get("/async", null, null, null));
    String[] seenOnOther = new String[2];
    Thread other =
        new Thread(
            () -> {
              dispatcher.resumeHttpServer(op);
              seenOnOther[0] = Span.current().getSpanContext().getSpanId();
              dispatcher.endHttpServer(op, 200, "/async", null);
              seenOnOther[1] = String.valueOf(Span.current().getSpanContext().isValid());
            });
    other.start();
    other.join();
    dispatcher.suspendHttpServer(op);

    assertThat(seenOnOther[0])
        .isEqualTo(((OperationDispatcher.ServerOperation) op).span.getSpanContext().getSpanId());
    assertThat(seenOnOther[1]).isEqualTo("false");
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }
}
