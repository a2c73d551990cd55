package io.redwing.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.redwing.bootstrap.DbPools;
import io.redwing.instrumentation.jdbc.HikariPoolTimingsTest.RecordedTimings;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real Tomcat JDBC and DBCP2 pools of one PostgreSQL connection: each borrow's wait and use, and a
 * borrow that times out, as HikariPoolTimingsTest shows for HikariCP.
 */
class PoolBorrowTimingsTest {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();
  private static final long MAX_WAIT_MILLIS = 250;

  private final RecordedTimings timings = new RecordedTimings();
  private AutoCloseable closer;

  private DataSource start(String library) {
    DataSource pool;
    if (library.equals("tomcat-jdbc")) {
      org.apache.tomcat.jdbc.pool.DataSource tomcat =
          TomcatJdbcPostgresInstrumentationTest.tomcatPool(1);
      tomcat.setMaxWait((int) MAX_WAIT_MILLIS);
      closer = tomcat::close;
      pool = tomcat;
    } else {
      BasicDataSource dbcp = Dbcp2PostgresInstrumentationTest.dbcpPool(1);
      dbcp.setMaxWait(Duration.ofMillis(MAX_WAIT_MILLIS));
      closer = dbcp;
      pool = dbcp;
    }
    DbPools.install(timings);
    return pool;
  }

  /**
   * Tomcat JDBC times its wait with {@code System.currentTimeMillis}: it gives up once that clock
   * has moved {@code maxWait} milliseconds, which can be as little as {@code maxWait - 1} real
   * milliseconds after the borrow began. DBCP2 waits on a {@code nanoTime} deadline.
   */
  private static long shortestTimeoutMillis(String library) {
    return library.equals("tomcat-jdbc") ? MAX_WAIT_MILLIS - 1 : MAX_WAIT_MILLIS;
  }

  @AfterEach
  void stop() throws Exception {
    DbPools.uninstall();
    closer.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomcat-jdbc", "dbcp2"})
  void recordsTheWaitOfEachBorrowAndItsUseOnceWhenClosedTwice(String library) throws Exception {
    DataSource pool = start(library);
    Connection c = pool.getConnection();
    assertThat(timings.waits).singleElement().satisfies(w -> assertThat(w.pool()).isSameAs(pool));
    assertThat(timings.uses).isEmpty();
    long used = System.nanoTime();
    assertThat(c.isValid(1)).isTrue();
    used = System.nanoTime() - used;

    c.close();
    c.close();

    assertThat(timings.uses).singleElement().satisfies(u -> assertThat(u.pool()).isSameAs(pool));
    assertThat(timings.uses.get(0).nanos()).isGreaterThanOrEqualTo(used);
    assertThat(DbPools.registered()).contains(pool);
    assertThat(timings.failures).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomcat-jdbc", "dbcp2"})
  void recordsTheTimeoutTheApplicationSeesUnchanged(String library) throws SQLException {
    DataSource pool = start(library);
    Throwable seen;
    long waited;
    try (Connection held = pool.getConnection()) {
      waited = System.nanoTime();
      seen = catchThrowable(pool::getConnection);
      waited = System.nanoTime() - waited;
    }

    assertThat(seen).isInstanceOf(SQLException.class);
    assertThat(timings.failures)
        .singleElement()
        .satisfies(f -> assertThat(f.error()).isSameAs(seen));
    assertThat(timings.failures.get(0).nanos())
        .isBetween(TimeUnit.MILLISECONDS.toNanos(shortestTimeoutMillis(library)), waited);
    assertThat(timings.waits).hasSize(1);
    assertThat(timings.uses).hasSize(1);
  }
}
