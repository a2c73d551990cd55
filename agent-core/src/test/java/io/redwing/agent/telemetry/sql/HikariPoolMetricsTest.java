package io.redwing.agent.telemetry.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.redwing.bootstrap.DbPools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Stand-ins with HikariCP's method names (agent-core does not depend on HikariCP; the jdbc module's
 * tests register real pools).
 */
class HikariPoolMetricsTest {

  @Test
  void exposesTheCountsOfEachOpenPool() throws IOException {
    FakeDataSource orders = new FakeDataSource("orders", new FakePool(3, 2, 1), false);
    FakeDataSource closed = new FakeDataSource("closed", new FakePool(1, 1, 1), true);
    FakeDataSource notStarted = new FakeDataSource("lazy", null, false);
    DbPools.register(orders);
    DbPools.register(closed);
    DbPools.register(notStarted);
    DbPools.register("not a pool at all");
    PrometheusRegistry registry = new PrometheusRegistry();
    HikariPoolMetrics.register(registry);

    String text;
    try {
      text = scrape(registry);
    } finally {
      // The registry holds pools weakly: keep these until the scrape is done.
      Reference.reachabilityFence(orders);
      Reference.reachabilityFence(closed);
      Reference.reachabilityFence(notStarted);
    }

    assertThat(text.lines().filter(l -> l.startsWith("db_client_connection")).toList())
        .containsExactlyInAnyOrder(
            "db_client_connection_count{pool_name=\"orders\",state=\"idle\"} 3.0",
            "db_client_connection_count{pool_name=\"orders\",state=\"used\"} 2.0",
            "db_client_connection_idle_min{pool_name=\"orders\"} 2.0",
            "db_client_connection_max{pool_name=\"orders\"} 10.0",
            "db_client_connection_pending_requests{pool_name=\"orders\"} 1.0");
  }

  private static String scrape(PrometheusRegistry registry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  static final class FakeDataSource {
    private final String name;
    private final FakePool pool;
    private final boolean closed;

    FakeDataSource(String name, FakePool pool, boolean closed) {
      this.name = name;
      this.pool = pool;
      this.closed = closed;
    }

    public boolean isClosed() {
      return closed;
    }

    public FakePool getHikariPoolMXBean() {
      return pool;
    }

    public String getPoolName() {
      return name;
    }

    public int getMaximumPoolSize() {
      return 10;
    }

    public int getMinimumIdle() {
      return 2;
    }
  }

  static final class FakePool {
    private final int idle;
    private final int active;
    private final int waiting;

    FakePool(int idle, int active, int waiting) {
      this.idle = idle;
      this.active = active;
      this.waiting = waiting;
    }

    public int getIdleConnections() {
      return idle;
    }

    public int getActiveConnections() {
      return active;
    }

    public int getThreadsAwaitingConnection() {
      return waiting;
    }
  }
}
