package io.redwing.instrumentation.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.redwing.instrumentation.testing.DbClientContract;
import java.sql.Connection;
import java.sql.SQLException;

/** MariaDB Connector/J behind HikariCP: one operation per statement through the pool's proxies. */
class HikariMariaDbInstrumentationTest extends DbClientContract {
  private final MariaDbInstrumentationTest bare = new MariaDbInstrumentationTest();
  private HikariDataSource pool;

  @Override
  protected void startDataSource() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(MariaDbInstrumentationTest.URL);
    config.setUsername("root");
    config.setMaximumPoolSize(2);
    pool = new HikariDataSource(config);
  }

  @Override
  protected void stopDataSource() {
    pool.close();
  }

  @Override
  protected Connection connect() throws SQLException {
    return pool.getConnection();
  }

  @Override
  protected String expectedUrl() {
    return "jdbc:mariadb://127.0.0.1/test?user=root";
  }

  @Override
  protected String createAddFunction() {
    return bare.createAddFunction();
  }
}
