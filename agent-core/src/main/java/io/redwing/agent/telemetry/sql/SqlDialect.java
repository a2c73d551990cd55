package io.redwing.agent.telemetry.sql;

import java.util.Locale;

/** The lexical rules that differ between databases and decide where a literal ends. */
public enum SqlDialect {
  /**
   * Standard strings ('' escapes only), "quoted identifiers", and Oracle's alternative quoting
   * ({@code q'[...]'}), which nothing else would read as SQL: the databases known to have no
   * backslash escapes (Oracle, SQL Server, DB2, Derby, H2, HSQLDB, SQLite) get this.
   */
  STANDARD(false, false, false, true, false),
  /**
   * PostgreSQL: standard strings, E'' strings with backslash escapes, nested block comments. A
   * session may turn {@code standard_conforming_strings} off, and backslashes escape then.
   */
  POSTGRESQL(false, false, true, false, true),
  /**
   * MySQL and MariaDB: backslash escapes, "double-quoted strings", # comments; unless the server
   * runs with {@code NO_BACKSLASH_ESCAPES}.
   */
  MYSQL(true, true, false, false, true),
  /**
   * Any other database: standard strings and Oracle's quoting, but backslashes may escape (as in
   * ClickHouse, Hive, Snowflake).
   */
  UNKNOWN(false, false, false, true, true);

  final boolean backslashEscapes;
  final boolean doubleQuotedStrings;
  final boolean nestedComments;
  final boolean alternativeQuoting;

  /**
   * Whether a setting of the server, which the agent cannot see, may make a backslash in a plain
   * string escape or not: where the two readings end a string at different places, the sanitiser
   * cannot know which text is a literal.
   */
  final boolean settingDecidesBackslashes;

  SqlDialect(
      boolean backslashEscapes,
      boolean doubleQuotedStrings,
      boolean nestedComments,
      boolean alternativeQuoting,
      boolean settingDecidesBackslashes) {
    this.backslashEscapes = backslashEscapes;
    this.doubleQuotedStrings = doubleQuotedStrings;
    this.nestedComments = nestedComments;
    this.alternativeQuoting = alternativeQuoting;
    this.settingDecidesBackslashes = settingDecidesBackslashes;
  }

  /** The dialect of a {@code db.system.name}; {@link #UNKNOWN} for any other or none. */
  public static SqlDialect of(String system) {
    if (system == null) {
      return UNKNOWN;
    }
    switch (system.toLowerCase(Locale.ROOT)) {
      case JdbcUrl.MYSQL:
      case JdbcUrl.MARIADB:
        return MYSQL;
      case JdbcUrl.POSTGRESQL:
        return POSTGRESQL;
      case JdbcUrl.ORACLE:
      case JdbcUrl.SQLSERVER:
      case JdbcUrl.DB2:
      case JdbcUrl.DERBY:
      case JdbcUrl.H2:
      case JdbcUrl.HSQLDB:
      case JdbcUrl.SQLITE:
        return STANDARD;
      default:
        return UNKNOWN;
    }
  }
}
