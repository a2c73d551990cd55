package io.redwing.bench;

import io.redwing.bootstrap.JdbcCalls;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the JDBC advice's bookkeeping costs per borrow from a pool that wraps each borrow in a new
 * object (HikariCP), and per prepared statement: the first statement's URL lookup, which misses and
 * remembers the URL, or the statement's SQL remembered; then the entry forgotten on {@code close}
 * ({@code closed}), or left for the garbage collector and the map's purge ({@code collected}, what
 * the agent did before it forgot on close). In this loop the {@code collected} maps are full
 * between two collections nearly all the time, so that variant mostly measures a lookup refused: a
 * connection left without its URL, the defect forgetting on close removes. Iterations and forks
 * come from the command line, as in the README's run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConnectionBorrowBenchmark {
  static final String URL = "jdbc:postgresql://db.example.com:5432/shop";

  @Param({"closed", "collected"})
  public String forgotten;

  @Benchmark
  public String borrow() {
    Object connection = new Object();
    String url = JdbcCalls.connectionUrl(connection);
    if (url == null) {
      url = JdbcCalls.connectionUrl(connection, URL);
    }
    if (forgotten.equals("closed")) {
      JdbcCalls.closed(connection);
    }
    return url;
  }

  @Benchmark
  public Object statement() {
    Object statement = new Object();
    JdbcCalls.prepared(statement, URL);
    if (forgotten.equals("closed")) {
      JdbcCalls.statementClosed(statement);
    }
    return statement;
  }
}
