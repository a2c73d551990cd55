package io.redwing.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdbcCallsTest {

  @AfterEach
  void forget() {
    Operations.uninstall();
    JdbcCalls.uninstall();
    JdbcCalls.clear();
  }

  @Test
  void onlyTheOutermostCallRecordsAndOnlyWithAListener() {
    assertThat(JdbcCalls.enter()).isFalse();
    JdbcCalls.exit();

    Operations.install(new SilentListener());
    assertThat(JdbcCalls.enter()).isTrue();
    assertThat(JdbcCalls.enter()).isFalse();
    JdbcCalls.exit();
    JdbcCalls.exit();
    assertThat(JdbcCalls.enter()).isTrue();
    JdbcCalls.exit();
  }

  @Test
  void anUnpairedExitDoesNotHideTheNextCall() {
    Operations.install(new SilentListener());
    JdbcCalls.exit();

    assertThat(JdbcCalls.enter()).isTrue();
    JdbcCalls.exit();
  }

  @Test
  void remembersTheSqlOfAPreparedStatementAndCountsItsBatch() {
    Object statement = new Object();
    JdbcCalls.prepared(statement, "INSERT INTO t VALUES (?)");
    JdbcCalls.addBatch(statement, null);
    JdbcCalls.addBatch(statement, null);

    assertThat(JdbcCalls.sql(statement)).isEqualTo("INSERT INTO t VALUES (?)");
    assertThat(JdbcCalls.batchSql(statement)).isEqualTo("INSERT INTO t VALUES (?)");
    assertThat(JdbcCalls.takeBatchSize(statement)).isEqualTo(2);
    assertThat(JdbcCalls.takeBatchSize(statement)).isZero();
  }

  @Test
  void readsTheSqlOfAStatementPreparedBeforeTheAttachOnceAndRemembersIt() {
    List<Object> asked = new ArrayList<>();
    JdbcCalls.install(
        statement -> {
          asked.add(statement);
          return "SELECT name FROM owners WHERE id = ?";
        });
    Object statement = new Object();

    assertThat(JdbcCalls.sql(statement)).isEqualTo("SELECT name FROM owners WHERE id = ?");
    assertThat(JdbcCalls.sql(statement)).isEqualTo("SELECT name FROM owners WHERE id = ?");
    assertThat(asked).containsExactly(statement);

    Object batched = new Object();
    JdbcCalls.addBatch(batched, null);
    JdbcCalls.addBatch(batched, null);
    assertThat(JdbcCalls.batchSql(batched)).isEqualTo("SELECT name FROM owners WHERE id = ?");
    assertThat(JdbcCalls.takeBatchSize(batched)).isEqualTo(2);
    assertThat(asked).containsExactly(statement, batched);
  }

  @Test
  void aReaderThatThrowsLeavesTheStatementWithoutSqlAndIsNotAskedAgain() {
    List<Object> asked = new ArrayList<>();
    JdbcCalls.install(
        statement -> {
          asked.add(statement);
          throw new IllegalStateException("driver internals changed");
        });
    Object statement = new Object();

    assertThat(JdbcCalls.sql(statement)).isNull();
    assertThat(JdbcCalls.sql(statement)).isNull();
    assertThat(asked).hasSize(1);
  }

  @Test
  void aPlainBatchHasItsSqlOnlyWhileEveryStatementIsTheSame() {
    Object statement = new Object();
    JdbcCalls.addBatch(statement, "DELETE FROM a");
    JdbcCalls.addBatch(statement, "DELETE FROM a");
    assertThat(JdbcCalls.batchSql(statement)).isEqualTo("DELETE FROM a");

    JdbcCalls.addBatch(statement, "DELETE FROM b");
    assertThat(JdbcCalls.batchSql(statement)).isNull();
    assertThat(JdbcCalls.takeBatchSize(statement)).isEqualTo(3);
    assertThat(JdbcCalls.sql(statement)).isNull();

    JdbcCalls.addBatch(statement, "DELETE FROM c");
    JdbcCalls.clearBatch(statement);
    assertThat(JdbcCalls.takeBatchSize(statement)).isZero();
  }

  @Test
  void asksForTheUrlOfAConnectionOnlyOnce() {
    Object connection = new Object();

    assertThat(JdbcCalls.connectionUrl(connection)).isNull();
    assertThat(JdbcCalls.connectionUrl(connection)).isEmpty();
    assertThat(JdbcCalls.connectionUrl(connection, "jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
    assertThat(JdbcCalls.connectionUrl(connection)).isEqualTo("jdbc:h2:mem:x");
  }

  @Test
  void forgetsTheUrlOfAClosedConnectionSoThatClosedOnesDoNotFillTheMap() {
    // held here, as a pool's returned wrappers are until the next garbage collection
    List<Object> closed = new ArrayList<>();
    for (int i = 0; i <= JdbcCalls.MAX_CONNECTIONS; i++) {
      Object connection = new Object();
      assertThat(JdbcCalls.connectionUrl(connection)).isNull();
      JdbcCalls.connectionUrl(connection, "jdbc:h2:mem:x");
      JdbcCalls.closed(connection);
      closed.add(connection);
    }
    Object open = new Object();

    assertThat(JdbcCalls.connectionUrl(open)).as("asked for, not refused as one too many").isNull();
    assertThat(JdbcCalls.connectionUrl(closed.get(0))).as("forgotten").isNull();
  }

  @Test
  void forgetsTheSqlOfAClosedStatement() {
    Object statement = new Object();
    JdbcCalls.prepared(statement, "SELECT 1");
    JdbcCalls.addBatch(statement, null);

    JdbcCalls.statementClosed(statement);

    assertThat(JdbcCalls.sql(statement)).isNull();
    assertThat(JdbcCalls.takeBatchSize(statement)).isZero();
  }

  @Test
  void aConnectionWhoseUrlCouldNotBeReadIsNotAskedAgain() {
    Object connection = new Object();

    assertThat(JdbcCalls.connectionUrl(connection)).isNull();
    // the reader threw before handing anything back
    assertThat(JdbcCalls.connectionUrl(connection)).isEmpty();
    assertThat(JdbcCalls.connectionUrl(null)).isEmpty();
  }

  private static final class SilentListener implements OperationListener {
    @Override
    public Operation startHttpServer(HttpServerRequest request) {
      return null;
    }

    @Override
    public void endHttpServer(Operation operation, int status, String route, Throwable error) {}

    @Override
    public void suspendHttpServer(Operation operation) {}

    @Override
    public void resumeHttpServer(Operation operation) {}

    @Override
    public Operation startHttpClient(HttpClientRequest request) {
      return null;
    }

    @Override
    public void endHttpClient(Operation operation, int status, Throwable error) {}

    @Override
    public Operation startDbClient(DbClientRequest request) {
      return null;
    }

    @Override
    public void endDbClient(Operation operation, Throwable error) {}

    @Override
    public void adviceFailed(String instrumentation, Throwable error) {}
  }
}
