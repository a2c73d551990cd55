package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.tomcat.jdbc.pool.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.junit.jupiter.api.Test;

/** Borrow times reported as the bootstrap's DbPools does; the jdbc module times real pools. */
class DbPoolTimingsTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private final RedMetrics metrics = new RedMetrics("test", 2);
  private final DbPoolTimings timings = new DbPoolTimings(metrics, 2, Object::toString);

  @Test
  void observesWaitAndUseTimeInSecondsByPoolName() throws IOException {
    timings.waited("orders", TimeUnit.MILLISECONDS.toNanos(30));
    timings.used("orders", TimeUnit.MILLISECONDS.toNanos(600));

    String text = scrape();

    assertThat(text)
        .contains(
            "db_client_connection_wait_time_seconds_bucket{db_client_connection_pool_name=\"orders\",le=\"0.025\"} 0")
        .contains(
            "db_client_connection_wait_time_seconds_bucket{db_client_connection_pool_name=\"orders\",le=\"0.05\"} 1")
        .contains(
            "db_client_connection_wait_time_seconds_sum{db_client_connection_pool_name=\"orders\"} 0.03")
        .contains(
            "db_client_connection_use_time_seconds_bucket{db_client_connection_pool_name=\"orders\",le=\"0.5\"} 0")
        .contains(
            "db_client_connection_use_time_seconds_bucket{db_client_connection_pool_name=\"orders\",le=\"0.75\"} 1");
  }

  @Test
  void aPoolsTimeoutCountStartsAtZeroWithItsFirstBorrow() throws IOException {
    assertThat(scrape()).doesNotContain("db_client_connection_timeouts_total{");

    timings.waited("orders", 1_000L);

    assertThat(scrape())
        .contains(
            "db_client_connection_timeouts_total{db_client_connection_pool_name=\"orders\"} 0.0");
  }

  @Test
  void countsTimeoutsButNotOtherFailures() throws IOException {
    timings.failed("orders", 250_000_000L, new SQLTransientConnectionException("timed out"));
    timings.failed("orders", 1_000L, new SQLException("password authentication failed"));

    String text = scrape();

    assertThat(text)
        .contains(
            "db_client_connection_timeouts_total{db_client_connection_pool_name=\"orders\"} 1.0");
    assertThat(text).doesNotContain("db_client_connection_wait_time_seconds_count{");
  }

  @Test
  void countsTheTimeoutsRealTomcatJdbcAndDbcp2PoolsThrow() throws Exception {
    PoolProperties properties = new PoolProperties();
    properties.setUrl(URL);
    properties.setUsername("postgres");
    properties.setPassword("");
    properties.setDriverClassName("org.postgresql.Driver");
    properties.setMaxActive(1);
    properties.setInitialSize(1);
    properties.setMaxWait(100);
    DataSource tomcat = new DataSource(properties);
    BasicDataSource dbcp = new BasicDataSource();
    dbcp.setUrl(URL);
    dbcp.setUsername("postgres");
    dbcp.setMaxTotal(1);
    dbcp.setMaxWait(Duration.ofMillis(100));
    try (BasicDataSource closing = dbcp) {
      timings.failed("tomcat", 100_000_000L, exhausted(tomcat));
      timings.failed("dbcp", 100_000_000L, exhausted(dbcp));
    } finally {
      tomcat.close();
    }

    assertThat(scrape())
        .contains(
            "db_client_connection_timeouts_total{db_client_connection_pool_name=\"tomcat\"} 1.0")
        .contains(
            "db_client_connection_timeouts_total{db_client_connection_pool_name=\"dbcp\"} 1.0");
  }

  /** What the second borrow from a pool of one connection throws. */
  private static Throwable exhausted(javax.sql.DataSource pool) throws SQLException {
    try (Connection held = pool.getConnection()) {
      return catchThrowable(pool::getConnection);
    }
  }

  @Test
  void foldsPoolNamesBeyondTheCapIntoTheOverflowValue() throws IOException {
    timings.waited("HikariPool-1", 1_000L);
    timings.waited("HikariPool-2", 1_000L);
    timings.waited("HikariPool-3", 1_000L);

    assertThat(scrape())
        .contains(
            "db_client_connection_wait_time_seconds_count{db_client_connection_pool_name=\"HikariPool-2\"} 1")
        .contains(
            "db_client_connection_wait_time_seconds_count{db_client_connection_pool_name=\"_overflow\"} 1")
        .doesNotContain("HikariPool-3");
  }

  private String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
