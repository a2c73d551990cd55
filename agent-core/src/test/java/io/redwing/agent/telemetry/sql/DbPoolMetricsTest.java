package io.redwing.agent.telemetry.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.redwing.bootstrap.DbPools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real HikariCP, Tomcat JDBC and DBCP2 pools on the real PostgreSQL, with connections held and a
 * thread waiting, and stand-ins for what real pools do not readily show (closed, not started).
 */
class DbPoolMetricsTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String USER = "postgres";

  /** A pool of three connections that keeps {@code idleMin} idle. */
  private record Pool(DataSource dataSource, AutoCloseable closer, int idleMin) {}

  private static Pool pool(String library, String name) {
    switch (library) {
      case "hikari":
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(URL);
        config.setUsername(USER);
        config.setMaximumPoolSize(3);
        // HikariCP tops the idle connections up in the background: a fixed pool stays put.
        config.setMinimumIdle(3);
        config.setPoolName(name);
        HikariDataSource hikari = new HikariDataSource(config);
        return new Pool(hikari, hikari, 3);
      case "tomcat-jdbc":
        PoolProperties properties = new PoolProperties();
        properties.setUrl(URL);
        properties.setUsername(USER);
        properties.setPassword("");
        properties.setDriverClassName("org.postgresql.Driver");
        properties.setMaxActive(3);
        properties.setMaxIdle(3);
        properties.setMinIdle(2);
        properties.setInitialSize(2);
        if (name != null) {
          properties.setName(name);
        }
        org.apache.tomcat.jdbc.pool.DataSource tomcat =
            new org.apache.tomcat.jdbc.pool.DataSource(properties);
        return new Pool(tomcat, tomcat::close, 2);
      default:
        BasicDataSource dbcp = new BasicDataSource();
        dbcp.setUrl(URL);
        dbcp.setUsername(USER);
        dbcp.setMaxTotal(3);
        dbcp.setMinIdle(2);
        return new Pool(dbcp, dbcp, 2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"hikari", "tomcat-jdbc", "dbcp2"})
  void readsTheCountsOfARealPoolWhileConnectionsAreHeldAndAThreadWaits(String library)
      throws Exception {
    String name = library.equals("dbcp2") ? null : library + "-orders";
    Pool pool = pool(library, name);
    DataSource dataSource = pool.dataSource();
    ExecutorService waiter = Executors.newSingleThreadExecutor();
    try (AutoCloseable closer = pool.closer()) {
      Connection first = dataSource.getConnection();
      Connection second = dataSource.getConnection();
      Connection third = dataSource.getConnection();
      DbPools.register(dataSource);
      PrometheusRegistry registry = new PrometheusRegistry();
      DbPoolMetrics.register(registry);
      String label = DbPoolMetrics.poolName(dataSource);
      if (name != null) {
        assertThat(label).isEqualTo(name);
      } else {
        assertThat(label).matches("dbcp2-[0-9]+");
      }

      Future<Connection> waiting = waiter.submit(() -> dataSource.getConnection());
      String exhausted =
          awaitLine(
              registry,
              "db_client_connection_pending_requests{db_client_connection_pool_name=\""
                  + label
                  + "\"} 1.0");
      assertThat(lines(exhausted, label))
          .containsExactlyInAnyOrder(poolSeries(label, 0, 3, pool.idleMin(), 1));

      first.close();
      waiting.get(10, TimeUnit.SECONDS).close();

      assertThat(lines(scrape(registry), label))
          .containsExactlyInAnyOrder(poolSeries(label, 1, 2, pool.idleMin(), 0));
      second.close();
      third.close();
    } finally {
      waiter.shutdownNow();
    }
    assertThat(lines(scrape(registryWithPools()), DbPoolMetrics.poolName(dataSource)))
        .as("a closed pool is left out")
        .isEmpty();
  }

  @Test
  void namesAPoolWithoutANameOfItsOwnOncePerPool() throws Exception {
    Pool one = pool("tomcat-jdbc", null);
    Pool two = pool("tomcat-jdbc", null);
    try (AutoCloseable a = one.closer();
        AutoCloseable b = two.closer()) {
      String first = DbPoolMetrics.poolName(one.dataSource());
      String second = DbPoolMetrics.poolName(two.dataSource());

      assertThat(first).matches("tomcat-jdbc-[0-9]+");
      assertThat(second).matches("tomcat-jdbc-[0-9]+").isNotEqualTo(first);
      assertThat(DbPoolMetrics.poolName(one.dataSource())).isEqualTo(first);
      assertThat(DbPoolMetrics.poolName("not a pool")).isNull();
    }
  }

  private static PrometheusRegistry registryWithPools() {
    PrometheusRegistry registry = new PrometheusRegistry();
    DbPoolMetrics.register(registry);
    return registry;
  }

  private static String awaitLine(PrometheusRegistry registry, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String text = scrape(registry);
    while (!text.lines().anyMatch(line::equals) && System.nanoTime() < deadline) {
      Thread.sleep(10);
      text = scrape(registry);
    }
    return text;
  }

  /** The five series of a pool of at most 3 connections, as the scrape writes them. */
  private static String[] poolSeries(String label, int idle, int used, long idleMin, int pending) {
    String pool = "db_client_connection_pool_name=\"" + label + "\"";
    return new String[] {
      "db_client_connection_count{" + pool + ",db_client_connection_state=\"idle\"} " + idle + ".0",
      "db_client_connection_count{" + pool + ",db_client_connection_state=\"used\"} " + used + ".0",
      "db_client_connection_idle_min{" + pool + "} " + idleMin + ".0",
      "db_client_connection_max{" + pool + "} 3.0",
      "db_client_connection_pending_requests{" + pool + "} " + pending + ".0"
    };
  }

  private static List<String> lines(String text, String poolName) {
    return text.lines()
        .filter(l -> l.startsWith("db_client_connection"))
        .filter(l -> l.contains("db_client_connection_pool_name=\"" + poolName + "\""))
        .collect(Collectors.toList());
  }

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
    DbPoolMetrics.register(registry);

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
            "db_client_connection_count{db_client_connection_pool_name=\"orders\",db_client_connection_state=\"idle\"} 3.0",
            "db_client_connection_count{db_client_connection_pool_name=\"orders\",db_client_connection_state=\"used\"} 2.0",
            "db_client_connection_idle_min{db_client_connection_pool_name=\"orders\"} 2.0",
            "db_client_connection_max{db_client_connection_pool_name=\"orders\"} 10.0",
            "db_client_connection_pending_requests{db_client_connection_pool_name=\"orders\"} 1.0");
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
