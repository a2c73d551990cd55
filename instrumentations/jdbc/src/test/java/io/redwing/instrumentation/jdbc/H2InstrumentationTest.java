package io.redwing.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.bootstrap.JdbcCalls;
import io.redwing.instrumentation.testing.DbClientContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** H2 in memory, kept alive between connections for the whole class. */
class H2InstrumentationTest extends DbClientContract {
  static final String URL = "jdbc:h2:mem:redwing;DB_CLOSE_DELAY=-1";

  @Override
  protected Connection connect() throws SQLException {
    return DriverManager.getConnection(URL);
  }

  @Override
  protected String expectedUrl() {
    // The driver reports the URL without its settings.
    return "jdbc:h2:mem:redwing";
  }

  @Test
  void forgetsTheSqlOfAPreparedStatementOnceItIsClosed() throws SQLException {
    try (Connection c = connect()) {
      PreparedStatement ps = c.prepareStatement("SELECT 1");
      assertThat(JdbcCalls.sql(ps)).isEqualTo("SELECT 1");

      ps.close();

      assertThat(JdbcCalls.sql(ps)).isNull();
    }
  }

  @Override
  protected String createAddFunction() {
    return "CREATE ALIAS IF NOT EXISTS redwing_add FOR 'java.lang.Math.incrementExact(int)'";
  }
}
