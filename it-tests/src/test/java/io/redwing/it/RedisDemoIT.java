package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's Redis-backed /cache endpoint with the agent: Jedis commands against the real Redis on
 * 6379 become redis series on /metrics, cache hits and misses, and CLIENT spans inside the
 * request's server span, without the key in any of them.
 */
class RedisDemoIT {
  private static final String DB_DURATION = "db_client_operation_duration_seconds";
  private static final String CACHE = "redwing_cache_requests_total";

  /** Unique per run, so the first read is a miss whatever an earlier run left in Redis. */
  private static final String KEY = "it" + UUID.randomUUID().toString().replace("-", "");

  private static OtlpReceiver receiver;
  private static Demo demo;

  @BeforeAll
  static void startDemoAndReadTwice() {
    receiver = OtlpReceiver.start();
    demo =
        Demo.withAgent(
            "redis-demo-it",
            Map.of(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_BSP_SCHEDULE_DELAY", "100"));
    assertThat(demo.get("/cache/" + KEY).body()).contains("\"source\":\"computed\"");
    assertThat(demo.get("/cache/" + KEY).body()).contains("\"source\":\"cache\"");
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
  void metricsHaveTheRedisCommandsAndOneMissThenOneHit() {
    Scrape scrape =
        Await.value(
            "two GETs and a SET recorded",
            Await.EXPORT,
            () -> {
              Scrape s = demo.scrape();
              return s.valueOrZero(DB_DURATION + "_count", command("GET")) >= 2
                      && s.valueOrZero(DB_DURATION + "_count", command("SET")) >= 1
                  ? s
                  : null;
            });

    List<Scrape.Sample> gets = scrape.matching(DB_DURATION + "_count", command("GET"));
    assertThat(gets).hasSize(1);
    assertThat(gets.get(0).labels())
        .containsEntry("server_address", "127.0.0.1")
        .containsEntry("server_port", "6379")
        .containsEntry("error_type", "");
    assertThat(gets.get(0).value()).isEqualTo(2);
    assertThat(scrape.value(CACHE, Map.of("result", "miss", "db_system_name", "redis")))
        .isEqualTo(1);
    assertThat(scrape.value(CACHE, Map.of("result", "hit", "db_system_name", "redis")))
        .isEqualTo(1);
    assertThat(scrape.linesStartingWith("")).doesNotContain(KEY);
  }

  @Test
  void eachCommandIsAClientSpanChildOfTheRequestsServerSpan() {
    List<OtlpReceiver.ReceivedSpan> servers =
        receiver.awaitSpans("GET /cache/{key}", 2, s -> named(s, "GET /cache/{key}"));
    List<OtlpReceiver.ReceivedSpan> gets = receiver.awaitSpans("GET", 2, s -> named(s, "GET"));
    List<OtlpReceiver.ReceivedSpan> sets = receiver.awaitSpans("SET", 1, s -> named(s, "SET"));

    for (OtlpReceiver.ReceivedSpan get : gets) {
      assertThat(get.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(get.attribute("db.system.name")).isEqualTo("redis");
      assertThat(get.attribute("db.query.text")).isEqualTo("GET ?");
      assertThat(servers)
          .anySatisfy(
              server -> {
                assertThat(get.span().getTraceId()).isEqualTo(server.span().getTraceId());
                assertThat(get.span().getParentSpanId()).isEqualTo(server.span().getSpanId());
              });
    }
    assertThat(sets.get(0).attribute("db.query.text")).isEqualTo("SET ? ? ? ?");
    // the server span's url.path has the key: it is the URL; the commands must not have it
    for (OtlpReceiver.ReceivedSpan span :
        receiver.spans(s -> "redis".equals(s.attribute("db.system.name")))) {
      for (KeyValue attribute : span.span().getAttributesList()) {
        assertThat(attribute.getValue().toString()).doesNotContain(KEY);
      }
    }
  }

  @Test
  void aDemoWithoutReachableRedisStillAnswers() {
    try (Demo noRedis =
        Demo.withAgent(
            "redis-demo-it-down", Map.of("REDIS_PORT", Integer.toString(FreePort.find())))) {
      HttpResponse<String> response = noRedis.get("/cache/" + KEY);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("redis unavailable");
    }
  }

  private static Map<String, String> command(String name) {
    return Map.of("db_system_name", "redis", "db_operation_name", name);
  }

  private static boolean named(OtlpReceiver.ReceivedSpan span, String name) {
    return span.span().getName().equals(name);
  }
}
