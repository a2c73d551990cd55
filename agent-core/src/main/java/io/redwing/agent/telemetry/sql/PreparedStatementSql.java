package io.redwing.agent.telemetry.sql;

import java.lang.reflect.Field;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Reads the SQL a prepared statement was made from when no advice saw it being prepared (it was
 * prepared before the attach). JDBC has no method for that, so this knows where a driver keeps it;
 * only the statement's template is read, never its bound values. PostgreSQL's driver for now;
 * statements of other drivers stay without SQL.
 */
public final class PreparedStatementSql {
  private static final String PGJDBC_STATEMENT = "org.postgresql.PGStatement";

  private PreparedStatementSql() {}

  /** The SQL of {@code statement} (the driver's, or a pool's proxy of it), or null. */
  public static String read(Object statement) {
    if (!(statement instanceof PreparedStatement)) {
      return null;
    }
    try {
      Class<?> pgjdbc =
          Class.forName(PGJDBC_STATEMENT, false, statement.getClass().getClassLoader());
      PreparedStatement prepared = (PreparedStatement) statement;
      // Pools (HikariCP, DBCP, Tomcat JDBC) hand out proxies that unwrap to the driver's statement.
      if (!prepared.isWrapperFor(pgjdbc)) {
        return null;
      }
      return pgjdbcTemplate(prepared.unwrap(pgjdbc));
    } catch (ReflectiveOperationException | SQLException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  /** pgjdbc keeps the parsed query in {@code PgPreparedStatement.preparedQuery.query}. */
  private static String pgjdbcTemplate(Object statement) throws ReflectiveOperationException {
    for (Class<?> c = statement.getClass(); c != null; c = c.getSuperclass()) {
      Field field;
      try {
        field = c.getDeclaredField("preparedQuery");
      } catch (NoSuchFieldException e) {
        continue;
      }
      field.setAccessible(true);
      Object cached = field.get(statement);
      if (cached == null) {
        return null;
      }
      Object query = cached.getClass().getField("query").get(cached);
      // Query.toString() prints the statement with ? for its parameters, never their values.
      return query == null ? null : query.toString();
    }
    return null;
  }
}
