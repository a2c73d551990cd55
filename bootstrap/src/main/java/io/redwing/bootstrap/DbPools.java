package io.redwing.bootstrap;

import java.util.List;

/**
 * The connection pools the application uses, found by advice when they hand out a connection (so
 * that pools created before an attach are found too) and read by agent-core when metrics are
 * scraped. Held weakly: a pool the application dropped disappears. Also times each borrow: how long
 * {@code getConnection()} waited and how long the connection was used until its {@code close()}
 * gave it back.
 */
public final class DbPools {
  private static final int MAX_POOLS = 256;
  // Connections out of their pool at once; beyond this a borrow's use time is not recorded.
  private static final int MAX_BORROWED = 10_000;
  private static final WeakConcurrentMap<Object, Boolean> POOLS =
      new WeakConcurrentMap<>(MAX_POOLS);
  private static final WeakConcurrentMap<Object, Borrow> BORROWED =
      new WeakConcurrentMap<>(MAX_BORROWED);

  private static volatile Timings timings;

  private DbPools() {}

  /** What agent-core does with a borrow's times; implementations must not throw. */
  public interface Timings {
    /** {@code getConnection()} on {@code pool} returned a connection after {@code nanos}. */
    void waited(Object pool, long nanos);

    /** {@code getConnection()} on {@code pool} threw {@code error} after {@code nanos}. */
    void failed(Object pool, long nanos, Throwable error);

    /** A connection of {@code pool} went back to it {@code nanos} after it was handed out. */
    void used(Object pool, long nanos);
  }

  public static void install(Timings newTimings) {
    timings = newTimings;
  }

  public static void uninstall() {
    timings = null;
    BORROWED.clear();
  }

  public static void register(Object pool) {
    if (pool != null && POOLS.get(pool) == null) {
      POOLS.put(pool, Boolean.TRUE);
    }
  }

  /** The pools registered and not yet collected. */
  public static List<Object> registered() {
    return POOLS.keys();
  }

  /**
   * {@code getConnection()} on {@code pool}, entered at {@code started} ({@link System#nanoTime}),
   * returned {@code connection} or threw {@code thrown}.
   */
  public static void acquired(Object pool, long started, Object connection, Throwable thrown) {
    register(pool);
    Timings current = timings;
    if (current == null || pool == null) {
      return;
    }
    long now = System.nanoTime();
    try {
      if (thrown != null) {
        current.failed(pool, now - started, thrown);
      } else if (connection != null) {
        current.waited(pool, now - started);
        BORROWED.put(connection, new Borrow(pool, now));
      }
    } catch (RuntimeException | LinkageError e) {
      // A listener that throws loses its telemetry, never the application's connection.
    }
  }

  /** {@code close()} was called on {@code connection}: ends its use if a pool handed it out. */
  public static void released(Object connection) {
    if (BORROWED.isEmpty()) {
      return;
    }
    Borrow borrow = BORROWED.take(connection);
    Timings current = timings;
    if (borrow == null || current == null) {
      return;
    }
    try {
      current.used(borrow.pool, System.nanoTime() - borrow.since);
    } catch (RuntimeException | LinkageError e) {
      // As in acquired().
    }
  }

  /**
   * {@code method} was called on a pool's connection that is a {@code java.lang.reflect.Proxy},
   * whose class no advice can change: its {@code close()} ends the use.
   */
  public static void proxyCalled(Object connection, String method) {
    if ("close".equals(method)) {
      released(connection);
      JdbcCalls.closed(connection);
    }
  }

  private static final class Borrow {
    final Object pool;
    final long since;

    Borrow(Object pool, long since) {
      this.pool = pool;
      this.since = since;
    }
  }
}
