package io.redwing.agent.telemetry.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The literals are what the real server reads as literals, under the settings that change how a
 * backslash in a string is read: each statement runs on the local PostgreSQL or MariaDB, which
 * returns the values it parsed, and none of them may be in the sanitised text.
 */
class SqlSanitizerServerTest {
  private static final SqlStatements STATEMENTS = new SqlStatements();

  @ParameterizedTest(name = "{0} with {1}: {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          postgresql | SET standard_conforming_strings = on  | SELECT 'C:\\', 'S3cret-1'
          postgresql | SET standard_conforming_strings = off | SELECT 'it\\'s', 'S3cret-2'
          postgresql | SET standard_conforming_strings = off | SELECT 'C:\\\\', 'S3cret-3'
          postgresql | SET standard_conforming_strings = on  | SELECT E'it\\'s', 'S3cret-4'
          mariadb    | SET SESSION sql_mode = ''                     | SELECT 'it\\'s', "S3cret-5"
          mariadb    | SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES' | SELECT 'C:\\', 'S3cret-6'
          mariadb    | SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES' | SELECT "C:\\", 'S3cret-7'
          """)
  void leavesNoneOfTheLiteralsTheServerRead(String system, String setting, String sql)
      throws SQLException {
    List<String> literals = literalsTheServerReads(system, setting, sql);

    String sanitized = STATEMENTS.describe(system, sql).queryText();

    assertThat(literals)
        .as("what the server read")
        .hasSize(2)
        .anyMatch(v -> v.startsWith("S3cret"));
    assertThat(sanitized).startsWith("SELECT ?").doesNotContain("'", "\"", "S3cret", "it", "C:");
  }

  private static List<String> literalsTheServerReads(String system, String setting, String sql)
      throws SQLException {
    String url =
        system.equals("postgresql")
            ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
            : "jdbc:mariadb://127.0.0.1:3306/test?user=root";
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute(setting);
      List<String> values = new ArrayList<>();
      try (ResultSet row = statement.executeQuery(sql)) {
        row.next();
        for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
          values.add(row.getString(i));
        }
      }
      return values;
    }
  }
}
