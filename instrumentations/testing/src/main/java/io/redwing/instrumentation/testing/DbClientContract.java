package io.redwing.instrumentation.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.redwing.bootstrap.DbClientRequest;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every JDBC driver, bare or behind a pool, must give: one operation per statement, prepared
 * statement, callable statement and batch, with the raw SQL and the connection's URL, the exception
 * the application saw when one failed, and commit and rollback as operations of their own. A
 * driver's test only says how to connect and how to define a function.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DbClientContract {
  @RegisterExtension
  protected static final InstrumentationExtension agent = new InstrumentationExtension();

  protected static final String TABLE = "redwing_owners";
  private static final String SELECT_BY_ID = "SELECT name FROM " + TABLE + " WHERE id = ?";
  private static final String INSERT = "INSERT INTO " + TABLE + " (id, name) VALUES (?, ?)";

  private Connection connection;

  /** Opens the data source the tests use (a pool, say), if any; called once. */
  protected void startDataSource() throws Exception {}

  protected void stopDataSource() throws Exception {}

  /** A new connection, bare from the driver or borrowed from a pool. */
  protected abstract Connection connect() throws SQLException;

  /** The URL the connection reports in its metadata, which the operations must carry. */
  protected abstract String expectedUrl();

  /** DDL creating (or replacing) a function {@code redwing_add(int) = int + 1}. */
  protected abstract String createAddFunction();

  @BeforeAll
  final void createSchema() throws Exception {
    startDataSource();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + TABLE);
      s.execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, name VARCHAR(100))");
      s.execute("INSERT INTO " + TABLE + " (id, name) VALUES (1, 'George'), (2, 'Betty')");
      s.execute(createAddFunction());
    }
  }

  @AfterAll
  final void stop() throws Exception {
    stopDataSource();
  }

  @BeforeEach
  final void open() throws SQLException {
    connection = connect();
    agent.clear();
  }

  @AfterEach
  final void close() throws SQLException {
    connection.close();
  }

  @Test
  void recordsAStatementOnceWithItsSqlAndTheConnectionsUrl() throws SQLException {
    String sql = "SELECT name FROM " + TABLE + " WHERE id = 1";
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("George");
    }

    DbClientOperation op = single();
    DbClientRequest facts = op.request();
    assertThat(facts.instrumentation).isEqualTo("jdbc");
    assertThat(facts.queryText).isEqualTo(sql);
    assertThat(facts.connectionUrl).isEqualTo(expectedUrl());
    assertThat(facts.operationName).isNull();
    assertThat(facts.batchSize).isZero();
    assertThat(op.ended()).isTrue();
    assertThat(op.error()).isNull();
    assertThat(op.endThread()).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void recordsEachExecutionOfAPreparedStatementWithTheSqlItWasPreparedFrom() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_BY_ID)) {
      for (int id = 1; id <= 2; id++) {
        ps.setInt(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
        }
      }
    }

    List<DbClientOperation> ops = agent.dbClientOperations();
    assertThat(ops).hasSize(2);
    for (DbClientOperation op : ops) {
      assertThat(op.request().queryText).isEqualTo(SELECT_BY_ID);
      assertThat(op.request().connectionUrl).isEqualTo(expectedUrl());
      assertThat(op.error()).isNull();
    }
  }

  @Test
  void recordsAnUpdateThroughExecuteUpdate() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
      ps.setInt(1, 100);
      ps.setString(2, "Jean");
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }

    assertThat(single().request().queryText).isEqualTo(INSERT);
  }

  @Test
  void recordsACallableStatement() throws SQLException {
    String call = "{? = call redwing_add(?)}";
    try (CallableStatement cs = connection.prepareCall(call)) {
      cs.registerOutParameter(1, Types.INTEGER);
      cs.setInt(2, 41);
      cs.execute();
      assertThat(cs.getInt(1)).isEqualTo(42);
    }

    DbClientOperation op = single();
    assertThat(op.request().queryText).isEqualTo(call);
    assertThat(op.error()).isNull();
  }

  @Test
  void recordsAPreparedBatchAsOneOperationWithItsSize() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
      for (int id = 200; id < 203; id++) {
        ps.setInt(1, id);
        ps.setString(2, "batch");
        ps.addBatch();
      }
      assertThat(ps.executeBatch()).hasSize(3);
    }

    DbClientOperation op = single();
    assertThat(op.request().queryText).isEqualTo(INSERT);
    assertThat(op.request().batchSize).isEqualTo(3);
  }

  @Test
  void recordsAStatementBatchOfDifferentStatementsWithoutOneSql() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.addBatch("INSERT INTO " + TABLE + " (id, name) VALUES (300, 'a')");
      s.addBatch("UPDATE " + TABLE + " SET name = 'b' WHERE id = 300");
      s.executeBatch();
    }

    DbClientOperation op = single();
    assertThat(op.request().queryText).isNull();
    assertThat(op.request().batchSize).isEqualTo(2);
  }

  @Test
  void recordsTheExceptionOfAFailingStatementAndLetsTheApplicationSeeIt() throws SQLException {
    Throwable seen;
    try (Statement s = connection.createStatement()) {
      seen = catchThrowable(() -> s.executeQuery("SELEC name FROM " + TABLE));
    }

    assertThat(seen).isInstanceOf(SQLException.class);
    DbClientOperation op = single();
    assertThat(op.error()).isSameAs(seen);
    assertThat(op.request().queryText).isEqualTo("SELEC name FROM " + TABLE);
  }

  @Test
  void recordsCommitAndRollbackAsOperations() throws SQLException {
    List<DbClientOperation> ops;
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      s.executeUpdate("DELETE FROM " + TABLE + " WHERE id = 1");
      connection.rollback();
      s.executeUpdate("UPDATE " + TABLE + " SET name = 'George' WHERE id = 1");
      connection.commit();
      // Before setAutoCommit(true), which some drivers implement by calling commit().
      ops = agent.dbClientOperations();
    } finally {
      connection.setAutoCommit(true);
    }

    assertThat(ops)
        .extracting(op -> op.request().operationName, op -> op.request().connectionUrl)
        .containsExactly(
            tuple(null, expectedUrl()),
            tuple("ROLLBACK", expectedUrl()),
            tuple(null, expectedUrl()),
            tuple("COMMIT", expectedUrl()));
    assertThat(ops).allSatisfy(op -> assertThat(op.error()).isNull());
  }

  @Test
  void instrumentsTheStatementClassesTheConnectionHandsOut() throws SQLException {
    try (Statement s = connection.createStatement();
        PreparedStatement ps = connection.prepareStatement(SELECT_BY_ID)) {
      assertThat(agent.transformedTypes())
          .contains(
              instrumentable(s, Statement.class),
              instrumentable(ps, PreparedStatement.class),
              instrumentable(connection, Connection.class));
    }
  }

  /**
   * The class that must have been changed for {@code object}: its own, or, for a pool's {@code
   * java.lang.reflect.Proxy} (Tomcat JDBC's), which cannot be changed, that of the driver's object
   * behind it.
   */
  private static <T extends java.sql.Wrapper> String instrumentable(T object, Class<T> type)
      throws SQLException {
    return (Proxy.isProxyClass(object.getClass()) ? object.unwrap(type) : object)
        .getClass()
        .getName();
  }

  @Test
  void adviceFollowsTheRules() {
    List<TypeInstrumentation> ours =
        agent.instrumentations().stream().filter(i -> i.name().equals("jdbc")).toList();

    assertThat(ours).hasSize(2);
    ours.forEach(AdviceRules::check);
  }

  /** The one operation the test's call made; fails if there were more or fewer. */
  protected static DbClientOperation single() {
    List<DbClientOperation> ops = agent.dbClientOperations();
    assertThat(ops).hasSize(1);
    return ops.get(0);
  }
}
