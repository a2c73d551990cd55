package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A Redis connection the demo's pool opened before the agent was attached is recorded after it: the
 * agent keeps no per-connection state that only a constructor could have set up.
 */
class RedisAttachIT {
  private static final String KEY = "attach" + UUID.randomUUID().toString().replace("-", "");

  @Test
  void recordsCommandsOnAConnectionOpenedBeforeTheAttach() {
    try (Demo demo = Demo.withoutAgent("redis-attach-it", Map.of())) {
      // opens the pool's connection, reads (a miss) and stores the value, all before the attach
      assertThat(demo.get("/cache/" + KEY).body()).contains("\"source\":\"computed\"");

      AttachIT.CliRun attach = AttachIT.cli("attach", Long.toString(demo.app.pid()));
      assertThat(attach.exitCode()).as(attach.output()).isZero();
      demo.awaitReady();
      assertThat(demo.get("/cache/" + KEY).body()).contains("\"source\":\"cache\"");

      Map<String, String> get = Map.of("db_system_name", "redis", "db_operation_name", "GET");
      Map<String, String> hit = Map.of("db_system_name", "redis", "result", "hit");
      Scrape scrape =
          Await.value(
              "the GET after the attach recorded",
              Await.EXPORT,
              () -> {
                Scrape s = demo.scrape();
                return s.valueOrZero("db_client_operation_duration_seconds_count", get) >= 1
                    ? s
                    : null;
              });
      assertThat(scrape.value("db_client_operation_duration_seconds_count", get)).isEqualTo(1);
      assertThat(scrape.value("redwing_cache_requests_total", hit)).isEqualTo(1);
      assertThat(
              scrape.valueOrZero(
                  "redwing_cache_requests_total",
                  Map.of("db_system_name", "redis", "result", "miss")))
          .isZero();
    }
  }
}
