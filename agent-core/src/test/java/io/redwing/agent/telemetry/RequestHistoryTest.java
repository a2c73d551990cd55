package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.HttpClientRequest;
import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestHistoryTest {
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build();
  private final OperationDispatcher dispatcher =
      new OperationDispatcher(new RedMetrics("1.2.3", 2000), sdk, "1.2.3", Set.of("token"), true);
  private final List<ServerFailure> failures = new ArrayList<>();

  /** Keeps at most three steps, like a small breadcrumb limit. */
  private final RequestErrors capturing =
      new RequestErrors() {
        @Override
        public RequestHistory startRequest(HttpServerRequest request, String redactedQuery) {
          return new RequestHistory(request, redactedQuery, 3);
        }

        @Override
        public void serverFailed(ServerFailure failure) {
          failures.add(failure);
        }
      };

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  private static HttpServerRequest get(String path, String query) {
    return TestRequests.get(path, query, null, "req-1");
  }

  private void db(String sql, Throwable error) {
    Operation op =
        dispatcher.startDbClient(
            new DbClientRequest("jdbc", "postgresql", "shop", "db", 5432, null, sql, 1));
    dispatcher.endDbClient(op, error);
  }

  @Test
  void aFailedRequestCarriesItsTraceIdsAndItsLastOperations() {
    dispatcher.reportErrorsTo(capturing);
    Operation server = dispatcher.startHttpServer(get("/owners/7", "token=abc&page=1"));
    db("SELECT * FROM owners WHERE id = 7", null);
    db("SELECT * FROM pets WHERE owner = 7", null);
    Operation call =
        dispatcher.startHttpClient(
            new HttpClientRequest("test", "GET", "https://u:p@api.example.com/v1?token=t"));
    dispatcher.endHttpClient(call, 503, null);
    db("UPDATE owners SET name = 'x' WHERE id = 7", new java.sql.SQLException("locked"));
    IllegalStateException error = new IllegalStateException("boom");
    dispatcher.endHttpServer(server, 500, "/owners/{id}", error);
    // outside the request: no history any more
    db("SELECT 1", null);

    assertThat(failures).hasSize(1);
    ServerFailure failure = failures.get(0);
    assertThat(failure.error).isSameAs(error);
    assertThat(failure.route).isEqualTo("/owners/{id}");
    assertThat(failure.status).isEqualTo(500);
    assertThat(failure.requestId).isEqualTo("req-1");
    assertThat(failure.traceId).hasSize(32);
    assertThat(failure.spanId).hasSize(16);
    assertThat(failure.redactedQuery).isEqualTo("token=REDACTED&page=1");
    assertThat(failure.droppedSteps).isEqualTo(1);
    assertThat(failure.steps)
        .extracting(s -> s.category + " " + s.message + " " + s.failed)
        .containsExactly(
            "db SELECT * FROM pets WHERE owner = ? false",
            "http GET https://api.example.com/v1?token=REDACTED true",
            "db UPDATE owners SET name = ? WHERE id = ? true");
    assertThat(failure.steps.get(2).data)
        .containsEntry("db_system_name", "postgresql")
        .containsEntry("error_type", "java.sql.SQLException");
  }

  @Test
  void withoutAReporterNoHistoryIsKept() {
    Operation server = dispatcher.startHttpServer(get("/x", null));
    assertThat(RequestHistory.current()).isNull();
    dispatcher.endHttpServer(server, 500, "/x", new IllegalStateException());
    assertThat(failures).isEmpty();
  }
}
