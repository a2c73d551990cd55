package io.redwing.instrumentation.jdbc;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static io.redwing.instrumentation.api.HierarchyMatchers.isClassImplementing;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.DbPools;
import io.redwing.bootstrap.JdbcCalls;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.sql.Connection;
import java.sql.SQLException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Remembers the SQL each {@code java.sql.Connection} prepares a statement from, for the statement
 * advice to report when it executes, times {@code commit} and {@code rollback} as operations, and
 * tells {@link DbPools} of each {@code close}, which ends a pooled connection's use, and {@link
 * JdbcCalls}, which then forgets the connection's URL.
 */
public final class JdbcConnectionInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    // java.sql is an optional module: a jlinked runtime may lack it.
    return hasClassesNamed("java.sql.Connection");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return not(nameStartsWith("java.").or(nameStartsWith("jdk.")).or(nameStartsWith("sun.")))
        .and(isClassImplementing("java.sql.Connection"));
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    target.applyAdvice(
        namedOneOf("prepareStatement", "prepareCall")
            .and(takesArgument(0, String.class))
            .and(not(isAbstract())),
        prefix + "$PrepareAdvice");
    target.applyAdvice(
        named("commit").and(takesArguments(0)).and(not(isAbstract())), prefix + "$CommitAdvice");
    target.applyAdvice(named("rollback").and(not(isAbstract())), prefix + "$RollbackAdvice");
    target.applyAdvice(
        named("close").and(takesArguments(0)).and(not(isAbstract())), prefix + "$CloseAdvice");
  }

  public static class PrepareAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.Argument(0) String sql, @Advice.Return Object statement) {
      JdbcCalls.prepared(statement, sql);
    }
  }

  public static class CommitAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(@Advice.This Connection connection) throws SQLException {
      // Pools' connections delegate to the driver's: only the outermost call is timed.
      if (!JdbcCalls.enter()) {
        return null;
      }
      String url = JdbcCalls.connectionUrl(connection);
      if (url == null) {
        url = JdbcCalls.connectionUrl(connection, connection.getMetaData().getURL());
      }
      return Operations.startDbClient(DbClientRequest.jdbc("COMMIT", null, 0, url));
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.Enter Operation op, @Advice.Thrown Throwable thrown) {
      JdbcCalls.exit();
      Operations.endDbClient(op, thrown);
    }
  }

  public static class RollbackAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(@Advice.This Connection connection) throws SQLException {
      if (!JdbcCalls.enter()) {
        return null;
      }
      String url = JdbcCalls.connectionUrl(connection);
      if (url == null) {
        url = JdbcCalls.connectionUrl(connection, connection.getMetaData().getURL());
      }
      return Operations.startDbClient(DbClientRequest.jdbc("ROLLBACK", null, 0, url));
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.Enter Operation op, @Advice.Thrown Throwable thrown) {
      JdbcCalls.exit();
      Operations.endDbClient(op, thrown);
    }
  }

  public static class CloseAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object connection) {
      DbPools.released(connection);
      JdbcCalls.closed(connection);
    }
  }
}
