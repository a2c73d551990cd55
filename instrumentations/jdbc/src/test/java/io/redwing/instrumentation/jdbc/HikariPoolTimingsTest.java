package io.redwing.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.redwing.bootstrap.DbPools;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real HikariCP pool of one PostgreSQL connection, borrowed by two threads in turn. */
class HikariPoolTimingsTest {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  private final RecordedTimings timings = new RecordedTimings();
  private HikariDataSource pool;

  @BeforeEach
  void startPool() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(PostgresInstrumentationTest.URL);
    config.setUsername(PostgresInstrumentationTest.USER);
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(250);
    config.setPoolName("timings");
    pool = new HikariDataSource(config);
    DbPools.install(timings);
  }

  @AfterEach
  void stopPool() {
    DbPools.uninstall();
    pool.close();
  }

  @Test
  void recordsTheWaitOfABorrowThatWaitedForTheOnlyConnection() throws Exception {
    CompletableFuture<Connection> second;
    long waiting;
    long released;
    try (Connection first = pool.getConnection()) {
      second = CompletableFuture.supplyAsync(this::borrow);
      long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 0) {
        assertThat(System.nanoTime()).as("a second borrower waiting").isLessThan(giveUp);
        Thread.onSpinWait();
      }
      waiting = System.nanoTime();
      first.isValid(1);
      released = System.nanoTime();
    }
    second.get(5, TimeUnit.SECONDS).close();

    assertThat(timings.waits).hasSize(2).allSatisfy(w -> assertThat(w.pool()).isSameAs(pool));
    // The second borrow began before `waiting` and could only end after the first was closed.
    assertThat(timings.waits.get(1).nanos()).isGreaterThanOrEqualTo(released - waiting);
    assertThat(timings.uses).hasSize(2).allSatisfy(u -> assertThat(u.pool()).isSameAs(pool));
    assertThat(timings.uses.get(0).nanos()).isGreaterThanOrEqualTo(released - waiting);
    assertThat(timings.failures).isEmpty();
  }

  @Test
  void recordsTheTimeoutTheApplicationSeesUnchanged() throws SQLException {
    Throwable seen;
    try (Connection held = pool.getConnection()) {
      seen = catchThrowable(pool::getConnection);
    }

    assertThat(seen).isInstanceOf(SQLTransientConnectionException.class);
    assertThat(timings.failures)
        .singleElement()
        .satisfies(f -> assertThat(f.error()).isSameAs(seen));
    assertThat(timings.failures.get(0).nanos())
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
    assertThat(timings.waits).hasSize(1);
  }

  @Test
  void recordsTheUseOnceWhenTheConnectionIsClosedTwice() throws SQLException {
    Connection c = pool.getConnection();
    assertThat(timings.uses).isEmpty();

    c.close();
    c.close();

    assertThat(timings.uses).singleElement().satisfies(u -> assertThat(u.pool()).isSameAs(pool));
  }

  private Connection borrow() {
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static final class RecordedTimings implements DbPools.Timings {
    final List<Timing> waits = new CopyOnWriteArrayList<>();
    final List<Timing> failures = new CopyOnWriteArrayList<>();
    final List<Timing> uses = new CopyOnWriteArrayList<>();

    @Override
    public void waited(Object pool, long nanos) {
      waits.add(new Timing(pool, nanos, null));
    }

    @Override
    public void failed(Object pool, long nanos, Throwable error) {
      failures.add(new Timing(pool, nanos, error));
    }

    @Override
    public void used(Object pool, long nanos) {
      uses.add(new Timing(pool, nanos, null));
    }
  }

  record Timing(Object pool, long nanos, Throwable error) {}
}
