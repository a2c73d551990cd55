package io.redwing.instrumentation.jdbc;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static io.redwing.instrumentation.api.HierarchyMatchers.isClassImplementing;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.JdbcCalls;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Times each statement a {@code java.sql.Statement}, {@code PreparedStatement} or {@code
 * CallableStatement} of any driver or pool executes, once however many wrappers sit in between,
 * taking the raw SQL, the batch size and the connection's URL (read once per connection).
 */
public final class JdbcStatementInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    // java.sql is an optional module: a jlinked runtime may lack it.
    return hasClassesNamed("java.sql.Statement");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return not(nameStartsWith("java.").or(nameStartsWith("jdk.")).or(nameStartsWith("sun.")))
        .and(isClassImplementing("java.sql.Statement"));
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    target.applyAdvice(execute().and(takesArgument(0, String.class)), prefix + "$SqlAdvice");
    target.applyAdvice(
        execute()
            .and(takesArguments(0))
            .and(isDeclaredBy(hasSuperType(named("java.sql.PreparedStatement")))),
        prefix + "$PreparedAdvice");
    target.applyAdvice(
        namedOneOf("executeBatch", "executeLargeBatch")
            .and(takesArguments(0))
            .and(not(isAbstract())),
        prefix + "$BatchAdvice");
    target.applyAdvice(
        named("addBatch").and(takesArguments(1)).and(takesArgument(0, String.class)),
        prefix + "$AddSqlBatchAdvice");
    target.applyAdvice(
        named("addBatch").and(takesArguments(0)).and(not(isAbstract())),
        prefix + "$AddBatchAdvice");
    target.applyAdvice(
        named("clearBatch").and(takesArguments(0)).and(not(isAbstract())),
        prefix + "$ClearBatchAdvice");
    target.applyAdvice(
        named("close").and(takesArguments(0)).and(not(isAbstract())), prefix + "$CloseAdvice");
  }

  private static ElementMatcher.Junction<MethodDescription> execute() {
    return namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate")
        .and(not(isAbstract()));
  }

  public static class SqlAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(
        @Advice.This Statement statement, @Advice.Argument(0) String sql) throws SQLException {
      // Always paired with the exit's JdbcCalls.exit(), even when this advice fails below.
      if (!JdbcCalls.enter()) {
        return null;
      }
      Connection connection = statement.getConnection();
      String url = JdbcCalls.connectionUrl(connection);
      if (url == null) {
        url = JdbcCalls.connectionUrl(connection, connection.getMetaData().getURL());
      }
      return Operations.startDbClient(DbClientRequest.jdbc(null, sql, 0, url));
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.Enter Operation op, @Advice.Thrown Throwable thrown) {
      JdbcCalls.exit();
      Operations.endDbClient(op, thrown);
    }
  }

  public static class PreparedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(@Advice.This Statement statement) throws SQLException {
      if (!JdbcCalls.enter()) {
        return null;
      }
      Connection connection = statement.getConnection();
      String url = JdbcCalls.connectionUrl(connection);
      if (url == null) {
        url = JdbcCalls.connectionUrl(connection, connection.getMetaData().getURL());
      }
      return Operations.startDbClient(DbClientRequest.jdbc(null, JdbcCalls.sql(statement), 0, url));
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.Enter Operation op, @Advice.Thrown Throwable thrown) {
      JdbcCalls.exit();
      Operations.endDbClient(op, thrown);
    }
  }

  public static class BatchAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(@Advice.This Statement statement) throws SQLException {
      if (!JdbcCalls.enter()) {
        return null;
      }
      Connection connection = statement.getConnection();
      String url = JdbcCalls.connectionUrl(connection);
      if (url == null) {
        url = JdbcCalls.connectionUrl(connection, connection.getMetaData().getURL());
      }
      String sql = JdbcCalls.batchSql(statement);
      return Operations.startDbClient(
          DbClientRequest.jdbc(null, sql, JdbcCalls.takeBatchSize(statement), url));
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.Enter Operation op, @Advice.Thrown Throwable thrown) {
      JdbcCalls.exit();
      Operations.endDbClient(op, thrown);
    }
  }

  public static class AddSqlBatchAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.This Statement statement, @Advice.Argument(0) String sql)
        throws SQLException {
      JdbcCalls.addBatch(statement, sql);
    }
  }

  public static class AddBatchAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.This Statement statement) {
      JdbcCalls.addBatch(statement, null);
    }
  }

  public static class ClearBatchAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.This Statement statement) {
      JdbcCalls.clearBatch(statement);
    }
  }

  public static class CloseAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object statement) {
      JdbcCalls.statementClosed(statement);
    }
  }
}
