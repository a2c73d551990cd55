package io.redwing.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.bootstrap.DbPools;
import io.redwing.instrumentation.testing.DbClientContract;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * pgjdbc behind a pool: the statements of the contract through the pool's wrappers, and the pool
 * registered when it hands out a connection if it is one whose metrics are read. A pool's test only
 * says how to open and close it.
 */
abstract class PooledPostgresContract extends DbClientContract {

  /** The pool {@link #startDataSource()} opened. */
  protected abstract DataSource pool();

  /** Whether the pool gives pool metrics (HikariCP, Tomcat JDBC, DBCP2) and so is registered. */
  protected boolean hasPoolMetrics() {
    return true;
  }

  @Override
  protected Connection connect() throws SQLException {
    return pool().getConnection();
  }

  @Override
  protected String expectedUrl() {
    return PostgresInstrumentationTest.URL;
  }

  @Override
  protected String createAddFunction() {
    return new PostgresInstrumentationTest().createAddFunction();
  }

  @Test
  void registersThePoolWhenItHandsOutAConnectionIfItHasPoolMetrics() throws SQLException {
    try (Connection c = pool().getConnection()) {
      assertThat(c.isValid(1)).isTrue();
    }

    if (hasPoolMetrics()) {
      assertThat(DbPools.registered()).contains(pool());
    } else {
      assertThat(DbPools.registered()).doesNotContain(pool());
    }
  }
}
