package io.redwing.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.redwing.bootstrap.JdbcCalls;
import io.redwing.instrumentation.testing.AdviceRules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * pgjdbc behind HikariCP, whose proxies wrap the driver's connections and statements: both are
 * instrumented, and the call-depth guard keeps it to one operation per statement.
 */
class HikariPostgresInstrumentationTest extends PooledPostgresContract {
  private HikariDataSource pool;

  @Override
  protected void startDataSource() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(PostgresInstrumentationTest.URL);
    config.setUsername(PostgresInstrumentationTest.USER);
    config.setMaximumPoolSize(2);
    config.setPoolName("redwing-test");
    pool = new HikariDataSource(config);
  }

  @Override
  protected void stopDataSource() {
    pool.close();
  }

  @Override
  protected DataSource pool() {
    return pool;
  }

  @Test
  void poolAdviceFollowsTheRules() {
    assertThat(agent.instrumentations())
        .filteredOn(i -> i.name().equals("jdbc-pools"))
        .singleElement()
        .satisfies(AdviceRules::check);
  }

  @Test
  void aConnectionBorrowedAfterMoreThanTheAgentRemembersStillHasItsUrl() throws SQLException {
    // HikariCP wraps each borrow in a new proxy; until a garbage collection the returned ones are
    // still reachable, as they are here
    List<Connection> returned = new ArrayList<>();
    for (int i = 0; i <= JdbcCalls.MAX_CONNECTIONS; i++) {
      Connection c = pool.getConnection();
      try (Statement s = c.createStatement()) {
        s.execute("SELECT 1");
      }
      c.close();
      returned.add(c);
    }
    agent.clear();

    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    }

    assertThat(returned.get(0)).isNotSameAs(returned.get(1));
    assertThat(agent.dbClientOperations())
        .singleElement()
        .satisfies(op -> assertThat(op.request().connectionUrl).isEqualTo(expectedUrl()));
  }

  @Test
  void instrumentsThePoolsProxiesAndTheDriversClassesAlike() throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        PreparedStatement ps = c.prepareStatement("SELECT 1")) {
      Statement driverStatement = s.unwrap(Statement.class);
      PreparedStatement driverPrepared = ps.unwrap(PreparedStatement.class);

      assertThat(s.getClass().getName()).startsWith("com.zaxxer.hikari.");
      assertThat(driverStatement.getClass().getName()).startsWith("org.postgresql.");
      assertThat(agent.transformedTypes())
          .contains(s.getClass().getName(), driverStatement.getClass().getName())
          .contains(ps.getClass().getName(), driverPrepared.getClass().getName());
    }
  }
}
