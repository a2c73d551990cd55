package io.redwing.instrumentation.jdbc;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;

/**
 * pgjdbc behind DBCP2, whose delegating connections and statements wrap the driver's: one operation
 * per statement all the same.
 */
class Dbcp2PostgresInstrumentationTest extends PooledPostgresContract {
  private BasicDataSource pool;

  static BasicDataSource dbcpPool(int maxTotal) {
    BasicDataSource pool = new BasicDataSource();
    pool.setUrl(PostgresInstrumentationTest.URL);
    pool.setUsername(PostgresInstrumentationTest.USER);
    pool.setMaxTotal(maxTotal);
    pool.setMinIdle(1);
    return pool;
  }

  @Override
  protected void startDataSource() {
    pool = dbcpPool(2);
  }

  @Override
  protected void stopDataSource() throws SQLException {
    pool.close();
  }

  @Override
  protected DataSource pool() {
    return pool;
  }
}
