package io.redwing.instrumentation.jdbc;

import javax.sql.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;

/**
 * pgjdbc behind Tomcat JDBC, whose connections are {@code java.lang.reflect.Proxy} objects around
 * the driver's: one operation per statement all the same.
 */
class TomcatJdbcPostgresInstrumentationTest extends PooledPostgresContract {
  private org.apache.tomcat.jdbc.pool.DataSource pool;

  static org.apache.tomcat.jdbc.pool.DataSource tomcatPool(int maxActive) {
    PoolProperties properties = new PoolProperties();
    properties.setUrl(PostgresInstrumentationTest.URL);
    properties.setUsername(PostgresInstrumentationTest.USER);
    properties.setPassword("");
    properties.setDriverClassName("org.postgresql.Driver");
    properties.setMaxActive(maxActive);
    properties.setMaxIdle(maxActive);
    properties.setInitialSize(1);
    properties.setMinIdle(1);
    return new org.apache.tomcat.jdbc.pool.DataSource(properties);
  }

  @Override
  protected void startDataSource() {
    pool = tomcatPool(2);
  }

  @Override
  protected void stopDataSource() {
    pool.close();
  }

  @Override
  protected DataSource pool() {
    return pool;
  }
}
