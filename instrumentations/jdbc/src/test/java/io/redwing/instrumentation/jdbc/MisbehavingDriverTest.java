package io.redwing.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.redwing.instrumentation.testing.DbClientOperation;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import io.redwing.testapp.jdbc.ForeignStatement;
import io.redwing.testapp.jdbc.MisbehavingConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drivers and wrappers the agent has never seen, some of them broken: the application must get
 * exactly what it would without the agent, and a broken connection is asked only once.
 */
class MisbehavingDriverTest {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  private Connection h2;

  @BeforeEach
  void open() throws SQLException {
    h2 = DriverManager.getConnection("jdbc:h2:mem:misbehaving;DB_CLOSE_DELAY=-1");
    agent.clear();
  }

  @AfterEach
  void close() throws SQLException {
    h2.close();
  }

  @Test
  void aWrapperAroundADriversStatementRecordsEachStatementOnce() throws SQLException {
    try (Statement statement = new ForeignStatement(h2.createStatement(), h2)) {
      assertThat(answer(statement)).isEqualTo(42);
      assertThat(answer(statement)).isEqualTo(42);
    }

    List<DbClientOperation> ops = agent.dbClientOperations();
    assertThat(ops).hasSize(2);
    assertThat(ops)
        .allSatisfy(
            op -> assertThat(op.request().connectionUrl).isEqualTo("jdbc:h2:mem:misbehaving"));
    assertThat(agent.transformedTypes()).contains(ForeignStatement.class.getName());
  }

  @Test
  void aConnectionWhoseMetaDataThrowsIsAskedOnceAndTheStatementsStillRun() throws SQLException {
    SQLException broken = new SQLException("no metadata here");
    Connection connection = MisbehavingConnection.throwingFromMetaData(h2, broken);
    try (Statement statement = new ForeignStatement(h2.createStatement(), connection)) {
      assertThat(answer(statement)).isEqualTo(42);
      assertThat(answer(statement)).isEqualTo(42);
      assertThat(answer(statement)).isEqualTo(42);
    }

    // The driver's SQLException is its answer, not a failure of the advice: counted as one, ten
    // of them would switch the instrumentation off. The first statement goes unrecorded.
    assertThat(agent.takeAdviceFailures()).isEmpty();
    List<DbClientOperation> ops = agent.dbClientOperations();
    assertThat(ops).hasSize(2);
    assertThat(ops).allSatisfy(op -> assertThat(op.request().connectionUrl).isEmpty());
  }

  @Test
  void aClosedStatementFailsTheApplicationAloneAndIsNoAdviceFailure() {
    SQLException closed = new SQLException("statement is closed");
    Statement statement = ForeignStatement.closed(closed);
    for (int i = 0; i < 12; i++) {
      assertThat(catchThrowable(() -> statement.executeQuery("SELECT 42"))).isSameAs(closed);
    }

    assertThat(agent.takeAdviceFailures()).isEmpty();
  }

  @Test
  void aConnectionWithoutMetaDataIsAskedOnceAndTheStatementsStillRun() throws SQLException {
    Connection connection = MisbehavingConnection.withoutMetaData(h2);
    try (Statement statement = new ForeignStatement(h2.createStatement(), connection)) {
      assertThat(answer(statement)).isEqualTo(42);
      assertThat(agent.takeAdviceFailures())
          .singleElement()
          .isInstanceOf(NullPointerException.class);

      assertThat(answer(statement)).isEqualTo(42);
    }

    assertThat(agent.dbClientOperations())
        .singleElement()
        .satisfies(op -> assertThat(op.request().queryText).isEqualTo("SELECT 42"));
  }

  @Test
  void theApplicationSeesTheDriversOwnExceptionThroughAWrapper() throws SQLException {
    Throwable seen;
    try (Statement statement = new ForeignStatement(h2.createStatement(), h2)) {
      seen = catchThrowable(() -> statement.execute("SELECT * FROM no_such_table"));
    }

    assertThat(seen).isInstanceOf(SQLException.class).hasMessageContaining("NO_SUCH_TABLE");
    assertThat(agent.dbClientOperations())
        .singleElement()
        .satisfies(op -> assertThat(op.error()).isSameAs(seen));
  }

  private static int answer(Statement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery("SELECT 42")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
