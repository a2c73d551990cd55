package io.redwing.bench;

import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.JdbcCalls;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the JDBC statement advice costs per statement once inlined: the call-depth guard, the
 * connection's URL (known after its first statement), starting and ending the operation with the
 * real dispatcher behind it, which sanitises the SQL and records the observation (and the span).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JdbcStatementBenchmark {
  static final String SQL =
      "SELECT o.id, o.name, o.city FROM owners o WHERE o.id = 42 AND o.name = 'O''Brien'";

  @Param({"metrics", "metrics+span"})
  public String record;

  private final ServerRequestBenchmark installed = new ServerRequestBenchmark();
  private final Object connection = new Object();

  @Setup
  public void install() {
    installed.record = record;
    installed.install();
    JdbcCalls.connectionUrl(connection, "jdbc:postgresql://db.example.com:5432/shop");
  }

  @TearDown
  public void uninstall() {
    installed.uninstall();
  }

  @Benchmark
  public Operation statement() {
    if (!JdbcCalls.enter()) {
      return null;
    }
    String url = JdbcCalls.connectionUrl(connection);
    Operation op = Operations.startDbClient(DbClientRequest.jdbc(null, SQL, 0, url));
    JdbcCalls.exit();
    Operations.endDbClient(op, null);
    return op;
  }
}
