package io.redwing.bench;

import io.redwing.agent.telemetry.sql.SqlDialect;
import io.redwing.agent.telemetry.sql.SqlSanitizer;
import io.redwing.agent.telemetry.sql.SqlStatement;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One pass of the SQL sanitiser, uncached: a short query, and a long insert of many literal rows
 * (about 20 KB, under the cap, so the whole of it is read), in two dialects.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SqlSanitizerBenchmark {

  @Param({"short", "long"})
  public String statement;

  /** STANDARD is the one that reads Oracle's q'' quoting as well. */
  @Param({"POSTGRESQL", "STANDARD"})
  public String dialect;

  private SqlSanitizer sanitizer;
  private String sql;

  @Setup
  public void prepare() {
    sanitizer = new SqlSanitizer(SqlDialect.valueOf(dialect));
    if (statement.equals("short")) {
      sql = JdbcStatementBenchmark.SQL;
      return;
    }
    StringBuilder insert =
        new StringBuilder("INSERT INTO visits (pet_id, visit_date, note) VALUES ");
    for (int i = 0; i < 400; i++) {
      insert
          .append(i == 0 ? "" : ", ")
          .append('(')
          .append(i)
          .append(", '2026-11-23', 'note ")
          .append(i)
          .append("')");
    }
    sql = insert.toString();
  }

  @Benchmark
  public SqlStatement describe() {
    return sanitizer.describe(sql);
  }
}
