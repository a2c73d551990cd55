package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.RedisCalls;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redis commands as the dispatcher turns them into metrics, spans and cache counts. */
class RedisOperationsTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = InMemoryTracing.sdk(exporter);
  private final RedMetrics metrics = new RedMetrics("1.2.3", 2000);
  private final OperationDispatcher dispatcher =
      new OperationDispatcher(metrics, sdk, "1.2.3", Set.of(), false);

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  private static DbClientRequest command(String name, int arguments) {
    return new DbClientRequest(
        "jedis", "redis", "0", "cache.local", 6379, name, null, 0, null, arguments);
  }

  private void run(String name, int arguments, Object reply, Throwable error) {
    Operation op = dispatcher.startDbClient(command(name, arguments));
    if (error == null) {
      dispatcher.dbReply(op, reply);
    }
    dispatcher.endDbClient(op, error);
  }

  private String scrape() {
    return PrometheusTextFormatWriter.create().toDebugString(metrics.registry().scrape());
  }

  private List<String> linesOf(String prefix) {
    return scrape().lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void aDiscardedCommandIsNeitherObservedNorExportedNorCounted() {
    Operation redirected = dispatcher.startDbClient(command("GET", 1));
    dispatcher.discardDbClient(redirected);
    run("GET", 1, "v", null);

    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
    assertThat(linesOf("db_client_operation_duration_seconds_count"))
        .singleElement()
        .satisfies(line -> assertThat(line).endsWith(" 1"));
    assertThat(dispatcher.operationCounts()).containsEntry("redis", 1L);
  }

  @Test
  void aCommandIsAClientSpanAndAnObservationWithoutItsArguments() {
    run("SET", 2, "OK", null);

    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("SET");
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("db.system.name"), "redis")
        .containsEntry(AttributeKey.stringKey("db.operation.name"), "SET")
        .containsEntry(AttributeKey.stringKey("db.query.text"), "SET ? ?")
        .containsEntry(AttributeKey.stringKey("db.namespace"), "0")
        .containsEntry(AttributeKey.stringKey("server.address"), "cache.local")
        .containsEntry(AttributeKey.longKey("server.port"), 6379L);
    assertThat(linesOf("db_client_operation_duration_seconds_count"))
        .containsExactly(
            "db_client_operation_duration_seconds_count{db_collection_name=\"\",db_namespace=\"0\","
                + "db_operation_name=\"SET\",db_system_name=\"redis\",error_type=\"\","
                + "server_address=\"cache.local\",server_port=\"6379\"} 1");
  }

  @Test
  void aTransactionIsOneSpanNamedAfterItsCommandsWhileEachCommandIsObserved() {
    Operation batch = dispatcher.startDbBatch(command("MULTI", 0));
    for (String name : List.of("MULTI", "SET", "SET", "EXEC")) {
      Operation op = dispatcher.startDbClientInBatch(command(name, 2), batch);
      dispatcher.endDbClient(op, null);
    }
    dispatcher.endDbBatch(batch, "MULTI SET", 2, new RedisCalls.ErrorReply("WRONGTYPE x"));

    assertThat(exporter.getFinishedSpanItems())
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.getName()).isEqualTo("MULTI SET");
              assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
              assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
              assertThat(span.getAttributes().asMap())
                  .containsEntry(AttributeKey.stringKey("db.operation.name"), "MULTI SET")
                  .containsEntry(AttributeKey.longKey("db.operation.batch.size"), 2L)
                  .containsEntry(AttributeKey.stringKey("error.type"), "WRONGTYPE")
                  .containsEntry(AttributeKey.stringKey("server.address"), "cache.local");
            });
    assertThat(linesOf("db_client_operation_duration_seconds_count"))
        .containsExactlyInAnyOrder(
            "db_client_operation_duration_seconds_count{db_collection_name=\"\",db_namespace=\"0\","
                + "db_operation_name=\"EXEC\",db_system_name=\"redis\",error_type=\"\","
                + "server_address=\"cache.local\",server_port=\"6379\"} 1",
            "db_client_operation_duration_seconds_count{db_collection_name=\"\",db_namespace=\"0\","
                + "db_operation_name=\"MULTI\",db_system_name=\"redis\",error_type=\"\","
                + "server_address=\"cache.local\",server_port=\"6379\"} 1",
            "db_client_operation_duration_seconds_count{db_collection_name=\"\",db_namespace=\"0\","
                + "db_operation_name=\"SET\",db_system_name=\"redis\",error_type=\"\","
                + "server_address=\"cache.local\",server_port=\"6379\"} 2");
  }

  @Test
  void aCommandEndedOnAnotherThreadIsAChildOfTheSpanCurrentWhenItWasIssued() throws Exception {
    Span parent = sdk.getTracer("test").spanBuilder("request").startSpan();
    Operation op;
    try (Scope ignored = parent.makeCurrent()) {
      op = dispatcher.startDbClient(command("GET", 1));
    }
    CompletableFuture.runAsync(
            () -> {
              dispatcher.dbReply(op, null);
              dispatcher.endDbClient(op, null);
            })
        .get();
    parent.end();

    SpanData get =
        exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("GET"))
            .findFirst()
            .orElseThrow();
    assertThat(get.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(get.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
  }

  @Test
  void readsCountCacheHitsAndMissesPerKeyFromTheReply() {
    run("GET", 1, null, null);
    run("GET", 1, "v".getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    run("MGET", 3, Arrays.asList("a", null, null), null);
    run("EXISTS", 3, 2L, null);
    run("HGET", 2, null, null);
    run("SET", 2, "OK", null);

    assertThat(linesOf("redwing_cache_requests_total"))
        .containsExactlyInAnyOrder(
            "redwing_cache_requests_total{db_system_name=\"redis\",result=\"hit\"} 4.0",
            "redwing_cache_requests_total{db_system_name=\"redis\",result=\"miss\"} 5.0");
  }

  @Test
  void anErrorReplyIsLabelledByItsCodeAndNoMessageTextIsExported() {
    run("LPUSH", 2, null, new RedisCalls.ErrorReply("WRONGTYPE Operation"));
    run(
        "NOSUCH",
        1,
        null,
        new IllegalStateException("ERR unknown command 'NOSUCH', with args beginning with: 'pw'"));

    assertThat(linesOf("db_client_operation_duration_seconds_count"))
        .anyMatch(l -> l.contains("db_operation_name=\"LPUSH\"") && l.contains("WRONGTYPE"))
        .anyMatch(l -> l.contains("error_type=\"java.lang.IllegalStateException\""));
    for (SpanData span : exporter.getFinishedSpanItems()) {
      assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      for (EventData event : span.getEvents()) {
        assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.message")))
            .isIn("WRONGTYPE", "ERR");
      }
      // what an exporter sends: the attributes, the exception's stack trace among them
      assertThat(span.getAttributes().toString()).doesNotContain("'pw'");
      assertThat(span.getEvents())
          .allSatisfy(e -> assertThat(e.getAttributes().toString()).doesNotContain("'pw'"));
    }
  }

  @Test
  void unknownCommandNamesAreCappedAndKnownOnesNormalised() {
    run("get", 1, "v", null);
    for (int i = 0; i < 60; i++) {
      run("CUSTOM" + i, 0, null, null);
    }

    List<String> names =
        linesOf("db_client_operation_duration_seconds_count").stream()
            .map(l -> l.replaceAll(".*db_operation_name=\"([^\"]*)\".*", "$1"))
            .toList();
    assertThat(names).contains("GET", "CUSTOM0", "CUSTOM49", "OTHER").doesNotContain("CUSTOM50");
    assertThat(names).hasSize(1 + 50 + 1);
  }
}
