package io.redwing.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.redwing.instrumentation.testing.DbClientContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** pgjdbc against the local PostgreSQL (trust authentication, database {@code test}). */
class PostgresInstrumentationTest extends DbClientContract {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String USER = "postgres";

  @Override
  protected Connection connect() throws SQLException {
    return DriverManager.getConnection(URL, USER, "");
  }

  @Override
  protected String expectedUrl() {
    return URL;
  }

  @Override
  protected String createAddFunction() {
    return "CREATE OR REPLACE FUNCTION redwing_add(a integer) RETURNS integer"
        + " LANGUAGE sql AS 'SELECT a + 1'";
  }

  @Test
  void recordsATimedOutQueryWithTheExceptionTheApplicationSaw() throws SQLException {
    Throwable seen;
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      agent.clear();
      seen = catchThrowable(() -> s.executeQuery("SELECT pg_sleep(5)"));
    }

    // 57014: query_canceled
    assertThat(seen).isInstanceOf(SQLException.class);
    assertThat(((SQLException) seen).getSQLState()).isEqualTo("57014");
    assertThat(single().error()).isSameAs(seen);
  }

  @Test
  void recordsAStatementOnAConnectionTheServerKilled() throws SQLException {
    Throwable seen;
    try (Connection victim = connect();
        Connection killer = connect();
        Statement s = victim.createStatement();
        Statement k = killer.createStatement()) {
      int pid;
      try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        pid = rs.getInt(1);
      }
      try (ResultSet rs = k.executeQuery("SELECT pg_terminate_backend(" + pid + ")")) {
        rs.next();
        assertThat(rs.getBoolean(1)).isTrue();
      }
      agent.clear();
      seen = catchThrowable(() -> s.executeQuery("SELECT 1"));
    }

    assertThat(seen).isInstanceOf(SQLException.class);
    assertThat(single().error()).isSameAs(seen);
  }
}
