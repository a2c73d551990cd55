package io.redwing.instrumentation.jdbc;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import javax.sql.DataSource;

/**
 * pgjdbc behind c3p0, whose generated proxy connections and statements wrap the driver's: one
 * operation per statement all the same. c3p0 gives no pool metrics here.
 */
class C3p0PostgresInstrumentationTest extends PooledPostgresContract {
  private ComboPooledDataSource pool;

  @Override
  protected boolean hasPoolMetrics() {
    return false;
  }

  @Override
  protected void startDataSource() {
    pool = new ComboPooledDataSource();
    pool.setJdbcUrl(PostgresInstrumentationTest.URL);
    pool.setUser(PostgresInstrumentationTest.USER);
    pool.setMaxPoolSize(2);
    pool.setMinPoolSize(1);
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
