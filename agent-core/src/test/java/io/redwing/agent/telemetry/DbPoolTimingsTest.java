package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Borrow times reported as the bootstrap's DbPools does; the jdbc module times real pools. */
class DbPoolTimingsTest {
  private final RedMetrics metrics = new RedMetrics("test", 2);
  private final DbPoolTimings timings = new DbPoolTimings(metrics, 2, Object::toString);

  @Test
  void observesWaitAndUseTimeInSecondsByPoolName() throws IOException {
    timings.waited("orders", TimeUnit.MILLISECONDS.toNanos(30));
    timings.used("orders", TimeUnit.MILLISECONDS.toNanos(600));

    String text = scrape();

    assertThat(text)
        .contains(
            "db_client_connection_wait_time_seconds_bucket{pool_name=\"orders\",le=\"0.025\"} 0")
        .contains(
            "db_client_connection_wait_time_seconds_bucket{pool_name=\"orders\",le=\"0.05\"} 1")
        .contains("db_client_connection_wait_time_seconds_sum{pool_name=\"orders\"} 0.03")
        .contains("db_client_connection_use_time_seconds_bucket{pool_name=\"orders\",le=\"0.5\"} 0")
        .contains(
            "db_client_connection_use_time_seconds_bucket{pool_name=\"orders\",le=\"0.75\"} 1");
  }

  @Test
  void countsTimeoutsButNotOtherFailures() throws IOException {
    timings.failed("orders", 250_000_000L, new SQLTransientConnectionException("timed out"));
    timings.failed("orders", 1_000L, new SQLException("password authentication failed"));

    String text = scrape();

    assertThat(text).contains("db_client_connection_timeouts_total{pool_name=\"orders\"} 1.0");
    assertThat(text).doesNotContain("db_client_connection_wait_time_seconds_count{");
  }

  @Test
  void foldsPoolNamesBeyondTheCapIntoTheOverflowValue() throws IOException {
    timings.waited("HikariPool-1", 1_000L);
    timings.waited("HikariPool-2", 1_000L);
    timings.waited("HikariPool-3", 1_000L);

    assertThat(scrape())
        .contains("db_client_connection_wait_time_seconds_count{pool_name=\"HikariPool-2\"} 1")
        .contains("db_client_connection_wait_time_seconds_count{pool_name=\"_overflow\"} 1")
        .doesNotContain("HikariPool-3");
  }

  private String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
