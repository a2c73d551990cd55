package io.redwing.agent.telemetry.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Random literals, written the way each dialect's drivers would escape them, inserted into
 * statement templates: the sanitised text never contains them, and never depends on them unless a
 * backslash in one makes where it ends depend on the server's settings.
 */
class SqlSanitizerPropertyTest {
  private static final int CASES = 3_000;
  private static final String[] TEMPLATES = {
    "SELECT * FROM owners WHERE name = %s AND id = %n",
    "INSERT INTO owners (id, name, note) VALUES (%n, %s, %s)",
    "UPDATE owners SET name = %s WHERE id IN (%n, %n, %n) -- by 'me'",
    "SELECT %s AS label, count(*) FROM pets GROUP BY %n",
    "DELETE FROM visits WHERE note LIKE %s OR id = %n",
    "SELECT a FROM t WHERE b = %s/* 'note' */AND c IN (%s, %s)",
    "WITH x AS (SELECT %s AS v) SELECT v, %n FROM x",
  };
  // Quotes, backslashes, comment and placeholder starters, whitespace, and non-ASCII text.
  private static final String ALPHABET =
      "abcXYZ019 '\"\\`$#-/*?;()\n\t,.eE+_:éß漢字\u00a0\uD83D\uDE00";

  @Test
  void standardStringsNeverLeak() {
    check(
        SqlDialect.STANDARD,
        List.of(
            lit -> "'" + lit.replace("'", "''") + "'", lit -> "N'" + lit.replace("'", "''") + "'"));
  }

  @Test
  void postgresqlStringsNeverLeak() {
    check(
        SqlDialect.POSTGRESQL,
        List.of(
            lit -> "'" + lit.replace("'", "''") + "'",
            lit -> "E'" + lit.replace("\\", "\\\\").replace("'", "\\'") + "'",
            lit -> "$$" + lit.replace("$", "") + "$$",
            lit -> "$q$" + lit.replace("$", "") + "$q$"));
  }

  @Test
  void unknownDatabasesStringsNeverLeak() {
    check(SqlDialect.UNKNOWN, List.of(lit -> "'" + lit.replace("'", "''") + "'"));
  }

  @Test
  void mysqlStringsNeverLeak() {
    check(
        SqlDialect.MYSQL,
        List.of(
            lit -> "'" + lit.replace("\\", "\\\\").replace("'", "\\'") + "'",
            lit -> "'" + lit.replace("\\", "\\\\").replace("'", "''") + "'",
            lit -> "\"" + lit.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
  }

  private static void check(SqlDialect dialect, List<Function<String, String>> encoders) {
    SqlSanitizer sanitizer = new SqlSanitizer(dialect);
    Random random = new Random(20261123L);
    for (int i = 0; i < CASES; i++) {
      String template = TEMPLATES[random.nextInt(TEMPLATES.length)];
      Function<String, String> encoder = encoders.get(random.nextInt(encoders.size()));
      String literal = randomLiteral(random);
      long number = random.nextLong() & Long.MAX_VALUE;
      String encoded = encoder.apply(literal);
      String sql = fill(template, encoded, number);
      String reference = fill(template, encoder.apply("x"), 7);

      String sanitized = sanitizer.describe(sql).queryText();
      String expected = sanitizer.describe(reference).queryText();

      if (dialect.settingDecidesBackslashes
          && encoded.indexOf('\\') >= 0
          && !sanitized.equals(expected)) {
        // Where the server's settings decide what a backslash does, a string the two readings
        // close at different quotes takes the rest of the statement with it.
        assertThat(sanitized).as("%s sanitised as %s", sql, dialect).endsWith("?");
        assertThat(expected).as("%s sanitised as %s", sql, dialect).startsWith(sanitized);
      } else {
        assertThat(sanitized).as("%s sanitised as %s", sql, dialect).isEqualTo(expected);
      }
      if (number >= 1000) {
        assertThat(sanitized).as(sql).doesNotContain(Long.toString(number));
      }
      // Shorter ones may be spelt by the template itself.
      if (literal.strip().length() >= 6) {
        assertThat(sanitized).as(sql).doesNotContain(literal);
      }
    }
  }

  private static String fill(String template, String string, long number) {
    return template.replace("%s", string).replace("%n", Long.toString(number));
  }

  private static String randomLiteral(Random random) {
    int length = 1 + random.nextInt(24);
    StringBuilder literal = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      literal.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return literal.toString();
  }
}
