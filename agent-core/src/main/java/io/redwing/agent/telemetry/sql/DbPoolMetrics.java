package io.redwing.agent.telemetry.sql;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.redwing.bootstrap.DbPools;
import io.redwing.bootstrap.WeakConcurrentMap;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The connection counts of the pools {@link DbPools} found (HikariCP, Tomcat JDBC, DBCP2), read
 * when metrics are scraped, under the semantic conventions' names. The pools live in the
 * application's class loader, so their public getters are called by reflection, through one {@link
 * Library} per pool library; a pool that cannot be read is left out.
 */
public final class DbPoolMetrics {
  public static final String CONNECTION_COUNT = "db_client_connection_count";
  public static final String CONNECTION_MAX = "db_client_connection_max";
  public static final String CONNECTION_IDLE_MIN = "db_client_connection_idle_min";
  public static final String PENDING_REQUESTS = "db_client_connection_pending_requests";

  // Names given to pools that have none of their own, per pool, for as long as the pool lives.
  private static final WeakConcurrentMap<Object, String> GENERATED_NAMES =
      new WeakConcurrentMap<>(256);
  private static final Map<Library, AtomicInteger> GENERATED_COUNTS = new ConcurrentHashMap<>();

  private DbPoolMetrics() {}

  public static void register(PrometheusRegistry registry) {
    GaugeWithCallback.builder()
        .name(CONNECTION_COUNT)
        .help("Connections of the pool, by state")
        .labelNames("db_client_connection_pool_name", "db_client_connection_state")
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
        .labelNames("db_client_connection_pool_name")
        .callback(callback -> each((name, pool) -> callback.call(pool.max, name)))
        .register(registry);
    GaugeWithCallback.builder()
        .name(CONNECTION_IDLE_MIN)
        .help("Fewest idle connections the pool keeps")
        .labelNames("db_client_connection_pool_name")
        .callback(callback -> each((name, pool) -> callback.call(pool.idleMin, name)))
        .register(registry);
    GaugeWithCallback.builder()
        .name(PENDING_REQUESTS)
        .help("Threads waiting for a connection from the pool")
        .labelNames("db_client_connection_pool_name")
        .callback(
            callback ->
                each(
                    (name, pool) -> {
                      if (pool.pending >= 0) {
                        callback.call(pool.pending, name);
                      }
                    }))
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
          .append(Math.max(pool.pending, 0))
          .append(",\"saturation\":")
          .append(pool.max > 0 ? Math.round(1000.0 * pool.used / pool.max) / 1000.0 : 0)
          .append('}');
      separator = ",";
    }
    return json.append(']').toString();
  }

  /**
   * The pool's configured name, else one generated for it ({@code tomcat-jdbc-1}, numbered per
   * library in the order the pools were first seen); null when {@code dataSource} is no pool this
   * reads.
   */
  public static String poolName(Object dataSource) {
    Library library = Library.of(dataSource);
    if (library == null) {
      return null;
    }
    try {
      String configured = library.configuredName(dataSource);
      if (configured != null && !configured.isEmpty()) {
        return configured;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Named as if it had no name of its own.
    }
    String generated = GENERATED_NAMES.get(dataSource);
    if (generated == null) {
      AtomicInteger count = GENERATED_COUNTS.computeIfAbsent(library, l -> new AtomicInteger());
      generated = library.prefix + "-" + count.incrementAndGet();
      String held = GENERATED_NAMES.getOrPut(dataSource, generated);
      // Null when as many unnamed pools live as DbPools keeps: one name for the rest, not a new
      // number on every scrape.
      generated = held != null ? held : library.prefix + "-other";
    }
    return generated;
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

  /** One pool's numbers, read together; {@code pending} is -1 when the pool does not say. */
  static final class Snapshot {
    final String name;
    final int idle;
    final int used;
    final int pending;
    final int max;
    final int idleMin;

    Snapshot(String name, int idle, int used, int pending, int max, int idleMin) {
      this.name = name;
      this.idle = idle;
      this.used = used;
      this.pending = pending;
      this.max = max;
      this.idleMin = idleMin;
    }

    /** Null when the data source is closed, not started, or no pool this reads. */
    static Snapshot read(Object dataSource) {
      Library library = Library.of(dataSource);
      if (library == null) {
        return null;
      }
      try {
        return library.read(dataSource);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }

  /** How one pool library's public getters give its numbers. */
  enum Library {
    HIKARI("hikari", "getHikariPoolMXBean") {
      @Override
      Snapshot read(Object dataSource) throws ReflectiveOperationException {
        if (Boolean.TRUE.equals(call(dataSource, "isClosed"))) {
          return null;
        }
        Object pool = call(dataSource, "getHikariPoolMXBean");
        if (pool == null) {
          return null;
        }
        return new Snapshot(
            poolName(dataSource),
            (Integer) call(pool, "getIdleConnections"),
            (Integer) call(pool, "getActiveConnections"),
            (Integer) call(pool, "getThreadsAwaitingConnection"),
            (Integer) call(dataSource, "getMaximumPoolSize"),
            (Integer) call(dataSource, "getMinimumIdle"));
      }

      @Override
      String configuredName(Object dataSource) throws ReflectiveOperationException {
        // HikariCP names every pool itself (HikariPool-1) unless told.
        return (String) call(dataSource, "getPoolName");
      }
    },

    TOMCAT_JDBC("tomcat-jdbc", "getPoolProperties") {
      @Override
      Snapshot read(Object dataSource) throws ReflectiveOperationException {
        // No pool before the first borrow, and none again after close(). The field, because
        // getPool() and the data source's own getters would create one.
        Object pool = field(dataSource, "pool");
        if (pool == null || Boolean.TRUE.equals(call(pool, "isClosed"))) {
          return null;
        }
        Object properties = call(pool, "getPoolProperties");
        return new Snapshot(
            poolName(dataSource),
            (Integer) call(pool, "getIdle"),
            (Integer) call(pool, "getActive"),
            (Integer) call(pool, "getWaitCount"),
            (Integer) call(properties, "getMaxActive"),
            (Integer) call(properties, "getMinIdle"));
      }

      @Override
      String configuredName(Object dataSource) throws ReflectiveOperationException {
        String name = (String) call(call(dataSource, "getPoolProperties"), "getName");
        // Tomcat's own default changes from run to run: "Tomcat Connection Pool[1-<hash>]".
        return name == null || name.startsWith("Tomcat Connection Pool[") ? null : name;
      }
    },

    DBCP2("dbcp2", "getMaxTotal") {
      @Override
      Snapshot read(Object dataSource) throws ReflectiveOperationException {
        if (Boolean.TRUE.equals(call(dataSource, "isClosed"))) {
          return null;
        }
        int pending;
        try {
          // Older DBCP2 versions keep getConnectionPool() protected: then the waiters are unknown.
          Object pool = call(dataSource, "getConnectionPool");
          if (pool == null) {
            return null;
          }
          pending = (Integer) call(pool, "getNumWaiters");
        } catch (NoSuchMethodException | IllegalAccessException e) {
          pending = -1;
        }
        return new Snapshot(
            poolName(dataSource),
            (Integer) call(dataSource, "getNumIdle"),
            (Integer) call(dataSource, "getNumActive"),
            pending,
            (Integer) call(dataSource, "getMaxTotal"),
            (Integer) call(dataSource, "getMinIdle"));
      }

      @Override
      String configuredName(Object dataSource) {
        // A BasicDataSource has no name.
        return null;
      }
    };

    final String prefix;
    private final String marker;

    Library(String prefix, String marker) {
      this.prefix = prefix;
      this.marker = marker;
    }

    abstract Snapshot read(Object dataSource) throws ReflectiveOperationException;

    abstract String configuredName(Object dataSource) throws ReflectiveOperationException;

    /** The library whose data source {@code dataSource} is, told by a public method of its own. */
    static Library of(Object dataSource) {
      for (Library library : values()) {
        try {
          dataSource.getClass().getMethod(library.marker);
          return library;
        } catch (NoSuchMethodException | RuntimeException e) {
          // Not this one.
        }
      }
      return null;
    }

    static Object call(Object target, String method) throws ReflectiveOperationException {
      Method m = target.getClass().getMethod(method);
      return m.invoke(target);
    }

    static Object field(Object target, String name) throws ReflectiveOperationException {
      for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
        try {
          Field field = c.getDeclaredField(name);
          field.setAccessible(true);
          return field.get(target);
        } catch (NoSuchFieldException e) {
          // Declared further up.
        }
      }
      throw new NoSuchFieldException(name);
    }
  }
}
