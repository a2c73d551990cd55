package io.redwing.agent.telemetry.sql;

import java.util.Locale;

/** The lexical rules that differ between databases and decide where a literal ends. */
public enum SqlDialect {
  /**
   * Standard strings ('' escapes only), "quoted identifiers", and Oracle's alternative quoting
   * ({@code q'[...]'}), which nothing else would read as SQL: Oracle and unknown databases get
   * this.
   */
  STANDARD(false, false, false, true),
  /** PostgreSQL: standard strings, E'' strings with backslash escapes, nested block comments. */
  POSTGRESQL(false, false, true, false),
  /** MySQL and MariaDB: backslash escapes, "double-quoted strings", # comments. */
  MYSQL(true, true, false, false);

  final boolean backslashEscapes;
  final boolean doubleQuotedStrings;
  final boolean nestedComments;
  final boolean alternativeQuoting;

  SqlDialect(
      boolean mysqlStyle,
      boolean doubleQuotedStrings,
      boolean nestedComments,
      boolean alternativeQuoting) {
    this.backslashEscapes = mysqlStyle;
    this.doubleQuotedStrings = doubleQuotedStrings;
    this.nestedComments = nestedComments;
    this.alternativeQuoting = alternativeQuoting;
  }

  /** The dialect of a {@code db.system.name}; standard when unknown. */
  public static SqlDialect of(String system) {
    if (system == null) {
      return STANDARD;
    }
    switch (system.toLowerCase(Locale.ROOT)) {
      case JdbcUrl.MYSQL:
      case JdbcUrl.MARIADB:
        return MYSQL;
      case JdbcUrl.POSTGRESQL:
        return POSTGRESQL;
      default:
        return STANDARD;
    }
  }
}
