package io.redwing.agent.telemetry.sql;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.redwing.bootstrap.DbPools;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The connection counts of the HikariCP pools {@link DbPools} found, read when metrics are scraped,
 * under the semantic conventions' names. HikariCP lives in the application's class loader, so its
 * public methods are called by reflection; a pool that cannot be read is left out.
 */
public final class HikariPoolMetrics {
  public static final String CONNECTION_COUNT = "db_client_connection_count";
  public static final String CONNECTION_MAX = "db_client_connection_max";
  public static final String CONNECTION_IDLE_MIN = "db_client_connection_idle_min";
  public static final String PENDING_REQUESTS = "db_client_connection_pending_requests";

  private HikariPoolMetrics() {}

  public static void register(PrometheusRegistry registry) {
    GaugeWithCallback.builder()
        .name(CONNECTION_COUNT)
        .help("Connections of the pool, by state")
        .labelNames("pool_name", "state")
        .callback(
            callback ->
                each(
                    (name, pool) -> {
                      callback.call(pool.idle, name, "idle");
                      callback.call(pool.used, name, "used");
                    }))
        .register(registry);
    GaugeWithCallback.builder()
        .name(CONNECTION_MAX)
        .help("Most connections the pool may open")
        .labelNames("pool_name")
        .callback(callback -> each((name, pool) -> callback.call(pool.max, name)))
        .register(registry);
    GaugeWithCallback.builder()
        .name(CONNECTION_IDLE_MIN)
        .help("Fewest idle connections the pool keeps")
        .labelNames("pool_name")
        .callback(callback -> each((name, pool) -> callback.call(pool.idleMin, name)))
        .register(registry);
    GaugeWithCallback.builder()
        .name(PENDING_REQUESTS)
        .help("Threads waiting for a connection from the pool")
        .labelNames("pool_name")
        .callback(callback -> each((name, pool) -> callback.call(pool.pending, name)))
        .register(registry);
  }

  /** Each pool as JSON (used, max, waiting threads, saturation) for {@code /health/detailed}. */
  public static String toJson() {
    StringBuilder json = new StringBuilder("[");
    String separator = "";
    for (Snapshot pool : snapshots()) {
      json.append(separator)
          .append("{\"name\":\"")
          .append(pool.name.replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\",\"used\":")
          .append(pool.used)
          .append(",\"max\":")
          .append(pool.max)
          .append(",\"pending\":")
          .append(pool.pending)
          .append(",\"saturation\":")
          .append(pool.max > 0 ? Math.round(1000.0 * pool.used / pool.max) / 1000.0 : 0)
          .append('}');
      separator = ",";
    }
    return json.append(']').toString();
  }

  /** The pool's name, or null when {@code dataSource} is not a HikariCP one after all. */
  public static String poolName(Object dataSource) {
    try {
      return String.valueOf(Snapshot.call(dataSource, "getPoolName"));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static void each(BiConsumer<String, Snapshot> action) {
    for (Snapshot snapshot : snapshots()) {
      action.accept(snapshot.name, snapshot);
    }
  }

  static List<Snapshot> snapshots() {
    List<Snapshot> snapshots = new ArrayList<>();
    for (Object dataSource : DbPools.registered()) {
      Snapshot snapshot = Snapshot.read(dataSource);
      if (snapshot != null) {
        snapshots.add(snapshot);
      }
    }
    return snapshots;
  }

  /** One pool's numbers, read together. */
  static final class Snapshot {
    final String name;
    final int idle;
    final int used;
    final int pending;
    final int max;
    final int idleMin;

    private Snapshot(String name, int idle, int used, int pending, int max, int idleMin) {
      this.name = name;
      this.idle = idle;
      this.used = used;
      this.pending = pending;
      this.max = max;
      this.idleMin = idleMin;
    }

    /** Null when the data source is closed, not started, or not a HikariCP one after all. */
    static Snapshot read(Object dataSource) {
      try {
        if (Boolean.TRUE.equals(call(dataSource, "isClosed"))) {
          return null;
        }
        Object pool = call(dataSource, "getHikariPoolMXBean");
        if (pool == null) {
          return null;
        }
        return new Snapshot(
            String.valueOf(call(dataSource, "getPoolName")),
            (Integer) call(pool, "getIdleConnections"),
            (Integer) call(pool, "getActiveConnections"),
            (Integer) call(pool, "getThreadsAwaitingConnection"),
            (Integer) call(dataSource, "getMaximumPoolSize"),
            (Integer) call(dataSource, "getMinimumIdle"));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
      Method m = target.getClass().getMethod(method);
      return m.invoke(target);
    }
  }
}
