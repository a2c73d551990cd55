package io.redwing.agent.telemetry.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlSanitizerTest {
  private static final SqlSanitizer STANDARD = new SqlSanitizer(SqlDialect.STANDARD);
  private static final SqlSanitizer POSTGRES = new SqlSanitizer(SqlDialect.POSTGRESQL);
  private static final SqlSanitizer MYSQL = new SqlSanitizer(SqlDialect.MYSQL);

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          SELECT * FROM owners WHERE id = 42                     | SELECT * FROM owners WHERE id = ?
          SELECT * FROM t WHERE a = -1.5e-10 AND b = .5          | SELECT * FROM t WHERE a = -? AND b = ?
          SELECT * FROM t WHERE name = 'O''Brien'                | SELECT * FROM t WHERE name = ?
          SELECT * FROM t WHERE name = 'a\\' OR 1=1              | SELECT * FROM t WHERE name = ? OR ?=?
          SELECT 0x1F, X'0A', B'101', N'név'                    | SELECT ?, ?, ?, ?
          SELECT "Name" FROM "My Table"                          | SELECT "Name" FROM "My Table"
          SELECT a FROM t WHERE id IN (1, 2, 3)                  | SELECT a FROM t WHERE id IN (?)
          SELECT a FROM t WHERE id IN ( ?, ?,? )                 | SELECT a FROM t WHERE id IN (?)
          SELECT a FROM t WHERE id in ('x', 'y')                 | SELECT a FROM t WHERE id in (?)
          SELECT a FROM t WHERE id IN (SELECT id FROM u WHERE v = 1) | SELECT a FROM t WHERE id IN (SELECT id FROM u WHERE v = ?)
          SELECT a -- the secret 42\\n FROM t                      | SELECT a FROM t
          SELECT /* 'secret' */ a FROM t                         | SELECT a FROM t
          SELECT a\\n\\t  FROM   t                                 | SELECT a FROM t
          SELECT t1.col2 FROM t1                                 | SELECT t1.col2 FROM t1
          {call proc(?, 'x')}                                    | {call proc(?, ?)}
          UPDATE t SET a = 'unterminated                          | UPDATE t SET a = ?
          SELECT 'a' 'b'                                         | SELECT ? ?
          SELECT * FROM t WHERE d = DATE '2024-01-01'            | SELECT * FROM t WHERE d = DATE ?
          SELECT # not a comment here                            | SELECT # not a comment here
          """)
  void removesLiteralsAndCommentsInStandardSql(String sql, String expected) {
    assertThat(STANDARD.describe(unescape(sql)).queryText()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          SELECT $$it's $1 secret$$                              | SELECT ?
          SELECT $tag$ a $$ b $tag$, 1                          | SELECT ?, ?
          SELECT * FROM t WHERE a = $1 AND b = $2                | SELECT * FROM t WHERE a = $1 AND b = $2
          SELECT E'it\\'s', e'\\\\'                               | SELECT ?, ?
          SELECT 'C:\\\\' , 'x'                                   | SELECT ? , ?
          SELECT U&'d\\0061t' FROM t                               | SELECT ? FROM t
          SELECT a /* outer /* inner 'x' */ still 'y' */ FROM t  | SELECT a FROM t
          SELECT a::int, b->>'k' FROM t                          | SELECT a::int, b->>? FROM t
          SELECT v$x FROM t WHERE a = ANY($1)                    | SELECT v$x FROM t WHERE a = ANY($1)
          """)
  void knowsPostgresqlStrings(String sql, String expected) {
    assertThat(POSTGRES.describe(unescape(sql)).queryText()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          SELECT * FROM t WHERE a = 'it''s' AND b = 1            | SELECT * FROM t WHERE a = ? AND b = ?
          SELECT * FROM t WHERE a = 'C:\\\\dir\\\\' AND b = 1      | SELECT * FROM t WHERE a = ? AND b = ?
          SELECT * FROM t WHERE a = "double \\" quoted"          | SELECT * FROM t WHERE a = ?
          SELECT `select` FROM `my db`.`t`                       | SELECT `select` FROM `my db`.`t`
          SELECT a FROM t # secret 'x'\\n WHERE b = 2              | SELECT a FROM t WHERE b = ?
          SELECT _utf8mb4'abc', _binary'x'                       | SELECT ?, ?
          SELECT 'a\\\\' , 'b'                                    | SELECT ? , ?
          """)
  void knowsMysqlStrings(String sql, String expected) {
    assertThat(MYSQL.describe(unescape(sql)).queryText()).isEqualTo(expected);
  }

  /**
   * Whether a backslash escapes is a server setting in these dialects ({@code
   * NO_BACKSLASH_ESCAPES}, {@code standard_conforming_strings}): where the two readings close a
   * string at different quotes, either one would leave the next literal as words under the other,
   * so the rest goes.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          MYSQL      | SELECT * FROM t WHERE a = 'C:\\' AND b = 'S3cret' | SELECT * FROM t WHERE a = ?
          MYSQL      | SELECT * FROM t WHERE a = "C:\\" AND b = 'S3cret' | SELECT * FROM t WHERE a = ?
          MYSQL      | SELECT _utf8mb4'C:\\', 'S3cret' FROM t          | SELECT ?
          POSTGRESQL | SELECT * FROM t WHERE a = 'it\\'s' AND b = 'S3cret' | SELECT * FROM t WHERE a = ?
          UNKNOWN    | SELECT * FROM t WHERE a = 'it\\'s' AND b = 'S3cret' | SELECT * FROM t WHERE a = ?
          UNKNOWN    | SELECT * FROM t WHERE a = 'C:\\' AND b = 'S3cret' | SELECT * FROM t WHERE a = ?
          STANDARD   | SELECT * FROM t WHERE a = 'C:\\' AND b = 'S3cret' | SELECT * FROM t WHERE a = ? AND b = ?
          POSTGRESQL | SELECT E'it\\'s', 'S3cret' FROM t               | SELECT ?, ? FROM t
          """)
  void leavesNoLiteralWhicheverWayTheServerReadsBackslashes(
      SqlDialect dialect, String sql, String expected) {
    String sanitized = new SqlSanitizer(dialect).describe(unescape(sql)).queryText();

    assertThat(sanitized).isEqualTo(expected).doesNotContain("S3cret");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      nullValues = "null",
      textBlock =
          """
          SELECT name FROM owners WHERE id = ?                   | SELECT   | owners
          select name from public.owners o where id = ?          | SELECT   | public.owners
          SELECT * FROM "Owners" AS o                            | SELECT   | Owners
          SELECT * FROM a JOIN b ON a.id = b.id                  | SELECT   | null
          SELECT * FROM a x LEFT OUTER JOIN b y ON x.id = y.id   | SELECT   | null
          SELECT * FROM a, b                                     | SELECT   | null
          SELECT * FROM a AS x, b                                | SELECT   | null
          SELECT (SELECT max(v) FROM u) FROM t                   | SELECT   | t
          SELECT extract(year FROM d) FROM t                     | SELECT   | t
          SELECT * FROM (SELECT * FROM t) s                      | SELECT   | null
          SELECT * FROM generate_series(1, 3)                    | SELECT   | null
          SELECT 1                                               | SELECT   | null
          (SELECT a FROM t) UNION (SELECT a FROM u)               | SELECT   | t
          INSERT INTO owners (id, name) VALUES (?, ?)            | INSERT   | owners
          INSERT INTO `db`.`owners` VALUES (1)                   | INSERT   | db.owners
          UPDATE owners SET name = ? WHERE id = ?                | UPDATE   | owners
          UPDATE ONLY owners SET name = ?                        | UPDATE   | owners
          DELETE FROM owners WHERE id = ?                        | DELETE   | owners
          MERGE INTO t USING s ON t.id = s.id                    | MERGE    | t
          WITH x AS (SELECT * FROM a) SELECT * FROM x            | SELECT   | x
          WITH RECURSIVE r(n) AS (SELECT 1) DELETE FROM t        | DELETE   | t
          CREATE TABLE IF NOT EXISTS pets (id INT)               | CREATE   | pets
          DROP TABLE pets                                        | DROP     | pets
          {call proc(?)}                                         | CALL     | null
          {? = call redwing_add(?)}                              | CALL     | null
          commit                                                 | COMMIT   | null
          frobnicate the widgets                                 | null     | null
          -- only a comment                                      | null     | null
          """)
  void namesTheOperationAndTheOneTable(String sql, String operation, String collection) {
    SqlStatement statement = STANDARD.describe(sql);

    assertThat(statement.operationName()).isEqualTo(operation);
    assertThat(statement.collectionName()).isEqualTo(collection);
  }

  @Test
  void cutsAVeryLongStatementBeforeScanningIt() {
    StringBuilder sql = new StringBuilder("SELECT * FROM t WHERE id IN (");
    while (sql.length() < 1_000_000) {
      sql.append("12345, ");
    }
    sql.append("6) AND secret = 'tail'");

    SqlStatement statement = STANDARD.describe(sql.toString());

    assertThat(statement.queryText()).hasSizeLessThanOrEqualTo(SqlSanitizer.MAX_LENGTH);
    assertThat(statement.queryText())
        .startsWith("SELECT * FROM t WHERE id IN (?, ?")
        .doesNotContain("1");
    assertThat(statement.queryText()).doesNotContain("tail");
    assertThat(statement.collectionName()).isEqualTo("t");
  }

  @Test
  void aPasswordAfterIdentifiedByIsALiteralQuotedOrNot() {
    assertThat(STANDARD.describe("CREATE USER app IDENTIFIED BY S3cretPw").queryText())
        .isEqualTo("CREATE USER app IDENTIFIED BY ?");
    assertThat(
            STANDARD
                .describe("ALTER USER app IDENTIFIED BY \"S3cret!\" ACCOUNT UNLOCK")
                .queryText())
        .isEqualTo("ALTER USER app IDENTIFIED BY ? ACCOUNT UNLOCK");
    assertThat(MYSQL.describe("CREATE USER 'app'@'%' IDENTIFIED BY 'S3cret'").queryText())
        .doesNotContain("S3cret");
    assertThat(STANDARD.describe("SELECT identified, by FROM t").queryText())
        .isEqualTo("SELECT identified, by FROM t");
  }

  @Test
  void oraclesAlternativeQuotingIsOneLiteralWhateverQuotesItHolds() {
    assertThat(STANDARD.describe("SELECT id FROM t WHERE note = q'[it's secret]'").queryText())
        .isEqualTo("SELECT id FROM t WHERE note = ?");
    assertThat(
            STANDARD
                .describe("UPDATE t SET a = nQ'{don't}', b = Q'!x'y!' WHERE c = q'<'>'")
                .queryText())
        .isEqualTo("UPDATE t SET a = ?, b = ? WHERE c = ?");
    // unclosed: the rest is the literal
    assertThat(STANDARD.describe("SELECT 1 FROM t WHERE a = q'(it's open").queryText())
        .isEqualTo("SELECT ? FROM t WHERE a = ?");
    // a word q before an ordinary string, and databases without q'' quoting, are unchanged
    assertThat(STANDARD.describe("SELECT q ' x' FROM t").queryText())
        .isEqualTo("SELECT q ? FROM t");
    assertThat(POSTGRES.describe("SELECT q'[a]' FROM t").queryText()).isEqualTo("SELECT q? FROM t");
  }

  @Test
  void aStatementCutInsideAStringLosesTheRestOfIt() {
    String sql = "SELECT '" + "x".repeat(SqlSanitizer.MAX_LENGTH) + "' FROM t";

    assertThat(STANDARD.describe(sql).queryText()).isEqualTo("SELECT ?");
  }

  @Test
  void nothingInNothingOut() {
    assertThat(STANDARD.describe(null).queryText()).isNull();
    assertThat(STANDARD.describe("   ").queryText()).isNull();
  }

  /** CSV text cannot hold a newline or a tab: the corpus writes them as \n and \t. */
  private static String unescape(String sql) {
    return sql.replace("\\n", "\n").replace("\\t", "\t");
  }
}
