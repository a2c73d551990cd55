package io.redwing.agent.telemetry.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.bootstrap.DbClientRequest;
import org.junit.jupiter.api.Test;

class SqlStatementsTest {
  private final SqlStatements statements = new SqlStatements();

  @Test
  void sanitisesByTheDialectOfTheSystem() {
    // MySQL has "double-quoted strings"; elsewhere they are identifiers.
    assertThat(statements.describe("mariadb", "SELECT \"x\", 'y' FROM t").queryText())
        .isEqualTo("SELECT ?, ? FROM t");
    assertThat(statements.describe("h2database", "SELECT \"x\", 'y' FROM t").queryText())
        .isEqualTo("SELECT \"x\", ? FROM t");
    // A backslash is a plain character in H2's strings; an unknown database may escape with it.
    assertThat(statements.describe("h2database", "SELECT 'C:\\', 'secret'").queryText())
        .isEqualTo("SELECT ?, ?");
    assertThat(statements.describe("other_sql", "SELECT 'C:\\', 'secret'").queryText())
        .isEqualTo("SELECT ?");
    assertThat(statements.describe(null, "SELECT 'C:\\', 'secret'").queryText())
        .isEqualTo("SELECT ?");
  }

  @Test
  void answersARepeatedStatementFromTheCache() {
    String sql = "SELECT name FROM owners WHERE id = ?";

    assertThat(statements.describe("postgresql", sql))
        .isSameAs(statements.describe("postgresql", sql));
    assertThat(statements.describe("postgresql", sql).collectionName()).isEqualTo("owners");
  }

  @Test
  void keepsTheCacheBoundedAndStillCachesWhatComesLate() {
    for (int i = 0; i < 5_000; i++) {
      statements.describe(null, "SELECT " + i);
      assertThat(statements.cachedCount()).isLessThanOrEqualTo(SqlStatements.MAX_CACHED);
    }
    String late = "SELECT 'late'";

    assertThat(statements.describe(null, late)).isSameAs(statements.describe(null, late));
  }

  @Test
  void doesNotCacheLongStatements() {
    String sql = "SELECT '" + "x".repeat(5_000) + "'";

    assertThat(statements.describe(null, sql)).isNotSameAs(statements.describe(null, sql));
    assertThat(statements.cachedCount()).isZero();
  }

  @Test
  void takesTheOperationTheInstrumentationNamedOverTheText() {
    SqlStatement commit = statements.describe(request("COMMIT", null, 0));

    assertThat(commit.operationName()).isEqualTo("COMMIT");
    assertThat(commit.queryText()).isNull();
  }

  @Test
  void namesABatchOfTwoOrMoreAsABatch() {
    String insert = "INSERT INTO owners (id) VALUES (?)";

    assertThat(statements.describe(request(null, insert, 3)).operationName())
        .isEqualTo("BATCH INSERT");
    assertThat(statements.describe(request(null, insert, 3)).collectionName()).isEqualTo("owners");
    assertThat(statements.describe(request(null, insert, 1)).operationName()).isEqualTo("INSERT");
    assertThat(statements.describe(request(null, null, 2)).operationName()).isEqualTo("BATCH");
  }

  private static DbClientRequest request(String operation, String sql, int batchSize) {
    return JdbcRequests.complete(
        DbClientRequest.jdbc(operation, sql, batchSize, "jdbc:postgresql://db/x"));
  }
}
