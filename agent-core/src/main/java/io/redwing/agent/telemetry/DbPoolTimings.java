package io.redwing.agent.telemetry;

import io.prometheus.metrics.core.metrics.Counter;
import io.redwing.bootstrap.DbPools;
import io.redwing.bootstrap.WeakConcurrentMap;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The connection pools' borrow times, under the semantic conventions' names: how long {@code
 * getConnection()} waited, how long the connection was used, and how many borrows timed out.
 */
public final class DbPoolTimings implements DbPools.Timings {
  public static final String WAIT_TIME = "db_client_connection_wait_time_seconds";
  public static final String USE_TIME = "db_client_connection_use_time_seconds";
  public static final String TIMEOUTS = "db_client_connection_timeouts";

  private static final double NANOS_PER_SECOND = 1e9;

  private final Function<Object, String> poolNames;
  // Reading a name by reflection on every borrow would cost more than the borrow's bookkeeping.
  private final WeakConcurrentMap<Object, String> names = new WeakConcurrentMap<>(256);
  private final CappedSeries<String> labels;
  private final CappedSeries<DurationSeries> waitTime;
  private final CappedSeries<DurationSeries> useTime;
  private final Counter timeouts;

  /** {@code poolNames} names a pool, or returns null for one it cannot read. */
  public DbPoolTimings(
      RedMetrics metrics, int cardinalityLimit, Function<Object, String> poolNames) {
    this.poolNames = poolNames;
    // One label: the pool's name, which some pools number per instance (HikariPool-7).
    int limit = Math.min(cardinalityLimit, 100);
    this.labels = metrics.capped(WAIT_TIME, 1, limit, values -> values[0]);
    DurationHistogram wait =
        metrics.duration(
            WAIT_TIME,
            "Time it took to obtain an open connection from the pool",
            "db_client_connection_pool_name");
    DurationHistogram use =
        metrics.duration(
            USE_TIME,
            "Time between borrowing a connection and returning it to the pool",
            "db_client_connection_pool_name");
    // the names are capped already: one more for their overflow value, and these never fold
    waitTime = metrics.capped(WAIT_TIME, 1, limit + 1, wait::labelValues);
    useTime = metrics.capped(USE_TIME, 1, limit + 1, use::labelValues);
    timeouts =
        Counter.builder()
            .name(TIMEOUTS)
            .help("Borrows that timed out waiting for a connection from the pool")
            .labelNames("db_client_connection_pool_name")
            .withoutExemplars()
            .register(metrics.registry());
  }

  @Override
  public void waited(Object pool, long nanos) {
    waitTime.get(label(pool)).observe(nanos / NANOS_PER_SECOND);
  }

  @Override
  public void failed(Object pool, long nanos, Throwable error) {
    if (isTimeout(error)) {
      timeouts.labelValues(label(pool)).inc();
    }
  }

  /**
   * HikariCP reports a timeout as SQLTransientConnectionException, Tomcat JDBC as its
   * PoolExhaustedException, DBCP2 as an SQLException caused by commons-pool's
   * NoSuchElementException; others as SQLTimeoutException.
   */
  static boolean isTimeout(Throwable error) {
    return error instanceof SQLTransientConnectionException
        || error instanceof SQLTimeoutException
        || (error != null
            && error
                .getClass()
                .getName()
                .equals("org.apache.tomcat.jdbc.pool.PoolExhaustedException"))
        || (error instanceof SQLException && error.getCause() instanceof NoSuchElementException);
  }

  @Override
  public void used(Object pool, long nanos) {
    useTime.get(label(pool)).observe(nanos / NANOS_PER_SECOND);
  }

  private String label(Object pool) {
    String name = names.get(pool);
    boolean first = name == null;
    if (first) {
      name = String.valueOf(poolNames.apply(pool));
      names.put(pool, name);
    }
    String label = labels.get(name);
    if (first) {
      // at zero from the pool's first borrow, so that rate() sees the first timeout
      timeouts.labelValues(label);
    }
    return label;
  }
}
