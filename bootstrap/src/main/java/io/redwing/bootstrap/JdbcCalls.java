package io.redwing.bootstrap;

import java.util.function.Function;

/**
 * What the JDBC advice remembers between calls, without adding fields to driver classes: the SQL
 * each prepared statement was made from, the batch it collects, the URL of each connection, and how
 * deep this thread is in instrumented statement calls (pools and drivers wrap and call themselves:
 * only the outermost call is an operation). Keys are application objects, held weakly.
 */
public final class JdbcCalls {
  private static final int MAX_STATEMENTS = 100_000;

  /**
   * Connections whose URL is remembered at once. A closed connection is forgotten on {@code close},
   * not only once collected: a pool such as HikariCP hands out a new wrapper on every borrow, and
   * between two garbage collections more of those than this would otherwise fill the map and leave
   * every later connection without its URL.
   */
  public static final int MAX_CONNECTIONS = 10_000;

  /** Stands for a connection whose URL is being, or could not be, read: it is read only once. */
  private static final String UNKNOWN_URL = "";

  private static final WeakConcurrentMap<Object, StatementFacts> STATEMENTS =
      new WeakConcurrentMap<>(MAX_STATEMENTS);
  private static final WeakConcurrentMap<Object, ConnectionFacts> CONNECTIONS =
      new WeakConcurrentMap<>(MAX_CONNECTIONS);
  private static final CallDepth DEPTH = new CallDepth();

  private static volatile Function<Object, String> sqlReader;

  private JdbcCalls() {}

  /**
   * Enters an instrumented statement call; every call must be paired with {@link #exit()}. True
   * when this is the outermost one on the thread and the agent records operations.
   */
  public static boolean enter() {
    return DEPTH.enter() && Operations.installed();
  }

  public static void exit() {
    DEPTH.exit();
  }

  /**
   * Installs what reads the SQL of a statement prepared before the attach, which no advice saw
   * being prepared; it returns null when it cannot, and must not throw.
   */
  public static void install(Function<Object, String> reader) {
    sqlReader = reader;
  }

  public static void uninstall() {
    sqlReader = null;
  }

  /** A prepared or callable statement was made from {@code sql}. */
  public static void prepared(Object statement, String sql) {
    if (statement != null && sql != null) {
      STATEMENTS.put(statement, new StatementFacts(sql));
    }
  }

  /**
   * {@code close()} was called on {@code statement}: its SQL and batch are forgotten then rather
   * than once it is collected, so that statements closed between two garbage collections do not
   * fill the map. A pool that caches the statement and hands it out again is seen preparing it
   * again, which remembers it anew.
   */
  public static void statementClosed(Object statement) {
    STATEMENTS.remove(statement);
  }

  /** The SQL a prepared statement was made from; null if unknown. */
  public static String sql(Object statement) {
    StatementFacts facts = STATEMENTS.get(statement);
    if (facts == null) {
      facts = unseen(statement);
    }
    return facts == null ? null : facts.sql;
  }

  /**
   * The facts of a statement no advice saw being made (before an attach), with the SQL the reader
   * finds in it; read once, and remembered even when there is none.
   */
  private static StatementFacts unseen(Object statement) {
    if (statement == null) {
      return null;
    }
    Function<Object, String> reader = sqlReader;
    String sql = null;
    if (reader != null) {
      try {
        sql = reader.apply(statement);
      } catch (RuntimeException | LinkageError e) {
        // As if the reader had found nothing: the statement is still recorded, without its SQL.
      }
    }
    return STATEMENTS.getOrPut(statement, new StatementFacts(sql));
  }

  /** {@code addBatch}: {@code sql} for a plain statement's batch, null for a prepared one's. */
  public static void addBatch(Object statement, String sql) {
    if (statement == null) {
      return;
    }
    StatementFacts facts = STATEMENTS.get(statement);
    if (facts == null) {
      facts = unseen(statement);
      if (facts == null) {
        return;
      }
    }
    facts.add(sql);
  }

  public static void clearBatch(Object statement) {
    StatementFacts facts = STATEMENTS.get(statement);
    if (facts != null) {
      facts.takeBatch();
    }
  }

  /**
   * The SQL a batch runs: the prepared statement's, or the one statement every {@code
   * addBatch(sql)} added; null when they differ. Read it before {@link #takeBatchSize}.
   */
  public static String batchSql(Object statement) {
    StatementFacts facts = STATEMENTS.get(statement);
    return facts == null ? null : facts.batchSql();
  }

  /** The number of statements batched since the last execution or clear; resets it. */
  public static int takeBatchSize(Object statement) {
    StatementFacts facts = STATEMENTS.get(statement);
    return facts == null ? 0 : facts.takeBatch();
  }

  /**
   * The URL of a connection, once known. Returns null exactly once per connection, telling the
   * caller to read it and hand it to {@link #connectionUrl(Object, String)}; if that read fails the
   * connection stays without URL (empty) rather than being read again on every statement.
   */
  public static String connectionUrl(Object connection) {
    if (connection == null) {
      return UNKNOWN_URL;
    }
    ConnectionFacts known = CONNECTIONS.get(connection);
    if (known != null) {
      return known.url;
    }
    ConnectionFacts mine = new ConnectionFacts();
    ConnectionFacts held = CONNECTIONS.getOrPut(connection, mine);
    if (held == mine) {
      return null;
    }
    // Null when the map is full: say "unknown" rather than have every statement read it.
    return held == null ? UNKNOWN_URL : held.url;
  }

  /** {@code close()} was called on {@code connection}: its URL need not be remembered any more. */
  public static void closed(Object connection) {
    CONNECTIONS.remove(connection);
  }

  /** Remembers what the caller read for a connection's URL and returns it. */
  public static String connectionUrl(Object connection, String url) {
    ConnectionFacts facts = CONNECTIONS.get(connection);
    if (facts != null && url != null) {
      facts.url = url;
    }
    return url;
  }

  /** Forgets everything; for tests. */
  static void clear() {
    STATEMENTS.clear();
    CONNECTIONS.clear();
    DEPTH.reset();
  }

  private static final class ConnectionFacts {
    volatile String url = UNKNOWN_URL;
  }

  private static final class StatementFacts {
    final String sql;
    private int batchSize;
    private String batchSql;
    private boolean mixed;

    StatementFacts(String sql) {
      this.sql = sql;
    }

    synchronized void add(String added) {
      batchSize++;
      if (added == null || mixed) {
        return;
      }
      if (batchSql == null) {
        batchSql = added;
      } else if (!batchSql.equals(added)) {
        mixed = true;
        batchSql = null;
      }
    }

    synchronized String batchSql() {
      return sql != null ? sql : batchSql;
    }

    synchronized int takeBatch() {
      int size = batchSize;
      batchSize = 0;
      batchSql = null;
      mixed = false;
      return size;
    }
  }
}
