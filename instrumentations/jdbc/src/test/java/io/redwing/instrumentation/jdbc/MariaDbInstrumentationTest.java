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

/** MariaDB Connector/J against the local MariaDB (root, no password, database {@code test}). */
class MariaDbInstrumentationTest extends DbClientContract {
  static final String URL = "jdbc:mariadb://127.0.0.1:3306/test";

  @Override
  protected Connection connect() throws SQLException {
    return DriverManager.getConnection(URL + "?user=root");
  }

  @Override
  protected String expectedUrl() {
    // The driver reports the URL it normalised, without the default port.
    return "jdbc:mariadb://127.0.0.1/test?user=root";
  }

  @Override
  protected String createAddFunction() {
    return "CREATE OR REPLACE FUNCTION redwing_add(a INT) RETURNS INT DETERMINISTIC RETURN a + 1";
  }

  @Test
  void recordsATimedOutQueryWithTheExceptionTheApplicationSaw() throws SQLException {
    Throwable seen;
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      agent.clear();
      seen = catchThrowable(() -> s.executeQuery("SELECT SLEEP(5) FROM DUAL WHERE 1 = 1"));
    }

    assertThat(seen).isInstanceOf(SQLException.class);
    assertThat(single().error()).isSameAs(seen);
  }

  @Test
  void recordsAStatementOnAConnectionTheServerKilled() throws SQLException {
    Throwable seen;
    try (Connection victim = connect();
        Connection killer = connect();
        Statement s = victim.createStatement();
        Statement k = killer.createStatement()) {
      long id;
      try (ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
        rs.next();
        id = rs.getLong(1);
      }
      k.execute("KILL " + id);
      agent.clear();
      seen = catchThrowable(() -> s.executeQuery("SELECT 1"));
    }

    assertThat(seen).isInstanceOf(SQLException.class);
    assertThat(single().error()).isSameAs(seen);
  }
}
