package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A HikariCP pool on PostgreSQL and two statements prepared on a connection the application keeps,
 * all created and used before the agent is attached (PoolApp): after the attach, the same pool and
 * the same statement objects are recorded, with their sanitised SQL.
 */
class PoolAttachIT {
  private static final List<String> APP_LIBRARIES = List.of("HikariCP-", "postgresql-", "slf4j-");
  private static final String OPERATIONS = "db_client_operation_duration_seconds_count";
  private static final String SELECT_SQL =
      "SELECT name FROM redwing_attach_owners WHERE id = ? AND name <> ?";
  private static final String UPDATE_SQL = "UPDATE redwing_attach_owners SET name = ? WHERE id = ?";
  private static final String INSERT_SQL = "INSERT INTO redwing_attach_visits (path) VALUES (?)";
  private static final Map<String, String> POOL =
      Map.of("db_client_connection_pool_name", "attach-pool");
  private static final int OWNERS_AFTER = 3;
  private static final int VISITS_AFTER = 2;

  private static OtlpReceiver receiver;
  private static ForkedApp app;
  private static int port;
  private static int metricsPort;
  private static Scrape scrape;

  @BeforeAll
  static void useThePoolThenAttachThenUseItAgain() {
    receiver = OtlpReceiver.start();
    port = FreePort.find();
    metricsPort = FreePort.find();
    app =
        ForkedApp.builder("pool-attach-app")
            .env("OTEL_TRACES_EXPORTER", "otlp")
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
            .env("OTEL_BSP_SCHEDULE_DELAY", "100")
            .env("OTEL_SERVICE_NAME", "pool-app")
            .env("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(metricsPort))
            .mainClass(Artifacts.testClassPathWith(APP_LIBRARIES), "io.redwing.it.poolapp.PoolApp")
            .arg(Integer.toString(port))
            .start();
    app.awaitOutput("pool app listening on port " + port, Await.STARTUP);
    for (int id = 1; id <= 2; id++) {
      assertThat(get("/owners?id=" + id)).isEqualTo("Owner " + id + ", updated 1");
      assertThat(get("/visit")).isEqualTo("visits +1");
    }

    AttachIT.CliRun attach = AttachIT.cli("attach", Long.toString(app.pid()));
    assertThat(attach.exitCode()).as(attach.output()).isZero();
    app.awaitAgentReady(metricsPort);

    for (int id = 3; id < 3 + OWNERS_AFTER; id++) {
      assertThat(get("/owners?id=" + id)).isEqualTo("Owner " + id + ", updated 1");
    }
    for (int i = 0; i < VISITS_AFTER; i++) {
      assertThat(get("/visit")).isEqualTo("visits +1");
    }
    scrape =
        Await.value(
            "the statements after the attach recorded",
            Await.EXPORT,
            () -> {
              Scrape s = Scrape.of("http://127.0.0.1:" + metricsPort + "/metrics");
              return s.valueOrZero(OPERATIONS, operation("INSERT", "redwing_attach_visits"))
                      >= VISITS_AFTER
                  ? s
                  : null;
            });
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void recordsTheStatementsPreparedBeforeTheAttachOncePerExecutionAfterIt() {
    assertThat(scrape.value(OPERATIONS, operation("SELECT", "redwing_attach_owners")))
        .isEqualTo(OWNERS_AFTER);
    assertThat(scrape.value(OPERATIONS, operation("UPDATE", "redwing_attach_owners")))
        .isEqualTo(OWNERS_AFTER);
    assertThat(scrape.value(OPERATIONS, operation("INSERT", "redwing_attach_visits")))
        .isEqualTo(VISITS_AFTER);
    assertThat(scrape.samples(OPERATIONS)).hasSize(3);
  }

  @Test
  void readsThePoolCreatedBeforeTheAttach() {
    // One connection kept by the application, two idle, in a fixed pool of three.
    assertThat(
            scrape.value(
                "db_client_connection_count", with(POOL, "db_client_connection_state", "used")))
        .isEqualTo(1);
    assertThat(
            scrape.value(
                "db_client_connection_count", with(POOL, "db_client_connection_state", "idle")))
        .isEqualTo(2);
    assertThat(scrape.value("db_client_connection_max", POOL)).isEqualTo(3);
    assertThat(scrape.value("db_client_connection_idle_min", POOL)).isEqualTo(3);
    assertThat(scrape.value("db_client_connection_pending_requests", POOL)).isZero();
  }

  @Test
  void timesTheBorrowsAfterTheAttach() {
    assertThat(scrape.value("db_client_connection_wait_time_seconds_count", POOL))
        .isEqualTo(VISITS_AFTER);
    assertThat(scrape.value("db_client_connection_use_time_seconds_count", POOL))
        .isEqualTo(VISITS_AFTER);
    assertThat(scrape.value("db_client_connection_timeouts_total", POOL)).isZero();
  }

  @Test
  void exportsOneSpanPerStatementWithTheSanitisedSql() {
    List<OtlpReceiver.ReceivedSpan> selects =
        receiver.awaitSpans(
            "SELECT redwing_attach_owners",
            OWNERS_AFTER,
            s -> s.span().getName().equals("SELECT redwing_attach_owners"));
    List<OtlpReceiver.ReceivedSpan> updates =
        receiver.awaitSpans(
            "UPDATE redwing_attach_owners",
            OWNERS_AFTER,
            s -> s.span().getName().equals("UPDATE redwing_attach_owners"));
    List<OtlpReceiver.ReceivedSpan> inserts =
        receiver.awaitSpans(
            "INSERT redwing_attach_visits",
            VISITS_AFTER,
            s -> s.span().getName().equals("INSERT redwing_attach_visits"));

    assertThat(selects).hasSize(OWNERS_AFTER).allSatisfy(s -> isQuery(s, SELECT_SQL));
    assertThat(updates).hasSize(OWNERS_AFTER).allSatisfy(s -> isQuery(s, UPDATE_SQL));
    assertThat(inserts).hasSize(VISITS_AFTER).allSatisfy(s -> isQuery(s, INSERT_SQL));
    assertThat(receiver.spans()).hasSize(2 * OWNERS_AFTER + VISITS_AFTER);
  }

  private static void isQuery(OtlpReceiver.ReceivedSpan span, String sql) {
    assertThat(span.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.attribute("db.system.name")).isEqualTo("postgresql");
    assertThat(span.attribute("db.namespace")).isEqualTo("test");
    assertThat(span.attribute("db.query.text")).isEqualTo(sql);
  }

  private static Map<String, String> operation(String name, String collection) {
    return Map.of(
        "db_system_name", "postgresql",
        "db_operation_name", name,
        "db_collection_name", collection,
        "db_namespace", "test",
        "server_address", "127.0.0.1",
        "server_port", "5432",
        "error_type", "");
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> all = new HashMap<>(labels);
    all.put(key, value);
    return all;
  }

  private static String get(String path) {
    HttpResponse<String> response = Http.get("http://127.0.0.1:" + port + path);
    assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
    return response.body();
  }
}
