package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.Operation;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's side of carrying a context to another thread: the real OpenTelemetry context.
 */
class ContextCarryTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = InMemoryTracing.sdk(exporter);
  private final OperationDispatcher dispatcher =
      new OperationDispatcher(new RedMetrics("1.2.3", 2000), sdk, "1.2.3", Set.of(), false);
  private final ExecutorService worker = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() {
    worker.shutdownNow();
    sdk.close();
  }

  private static HttpServerRequest get() {
    return new HttpServerRequest(
        "servlet-test",
        "GET",
        "http",
        "localhost",
        8080,
        "/work",
        null,
        "10.0.0.1",
        "curl/8",
        null,
        null,
        null,
        null);
  }

  private void query() {
    Operation op =
        dispatcher.startDbClient(
            new DbClientRequest("jdbc", "h2", "test", null, 0, null, "SELECT 1", 0));
    dispatcher.endDbClient(op, null);
  }

  @Test
  void nothingIsCapturedWhenNothingIsCurrent() {
    assertThat(dispatcher.captureContext()).isNull();
    assertThat(dispatcher.attachContext(null)).isNull();
  }

  @Test
  void aDatabaseCallOnAnotherThreadIsAChildOfTheServerSpanCapturedForIt() throws Exception {
    Operation server = dispatcher.startHttpServer(get());
    Object captured = dispatcher.captureContext();
    CompletableFuture<Boolean> restored =
        CompletableFuture.supplyAsync(
            () -> {
              Object token = dispatcher.attachContext(captured);
              try {
                query();
              } finally {
                dispatcher.detachContext(token);
              }
              return Context.current() == Context.root();
            },
            worker);
    assertThat(restored.get(10, TimeUnit.SECONDS))
        .as("nothing left current on the worker")
        .isTrue();
    dispatcher.endHttpServer(server, 200, "/work", null);

    SpanData serverSpan =
        exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getKind() == SpanKind.SERVER)
            .findFirst()
            .orElseThrow();
    SpanData dbSpan =
        exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getKind() == SpanKind.CLIENT)
            .findFirst()
            .orElseThrow();
    assertThat(dbSpan.getTraceId()).isEqualTo(serverSpan.getTraceId());
    assertThat(dbSpan.getParentSpanId()).isEqualTo(serverSpan.getSpanId());
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }
}
