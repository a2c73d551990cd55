package io.redwing.instrumentation.jdbc;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.DbPools;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Registers each HikariCP, Tomcat JDBC and DBCP2 data source when it hands out a connection, so
 * that agent-core can read its pool's connection counts, and times the borrow (the wait, or the
 * failure of a timeout); a pool created before an attach is found on its next borrow. The
 * connection's {@code close()}, which ends its use, is seen by {@link
 * JdbcConnectionInstrumentation}, except for Tomcat JDBC's connections, which are {@code
 * java.lang.reflect.Proxy} objects whose calls reach {@code ProxyConnection.invoke}.
 */
public final class JdbcPoolInstrumentation implements TypeInstrumentation {
  private static final String HIKARI = "com.zaxxer.hikari.HikariDataSource";
  private static final String TOMCAT = "org.apache.tomcat.jdbc.pool.DataSourceProxy";
  private static final String TOMCAT_PROXY = "org.apache.tomcat.jdbc.pool.ProxyConnection";
  private static final String DBCP2 = "org.apache.commons.dbcp2.BasicDataSource";

  @Override
  public String name() {
    return "jdbc-pools";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed(HIKARI).or(hasClassesNamed(TOMCAT)).or(hasClassesNamed(DBCP2));
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(HIKARI, TOMCAT, TOMCAT_PROXY, DBCP2);
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(
        named("getConnection")
            .and(takesArguments(0))
            .and(isDeclaredBy(namedOneOf(HIKARI, TOMCAT, DBCP2))),
        getClass().getName() + "$GetConnectionAdvice");
    target.applyAdvice(
        named("invoke").and(takesArguments(3)).and(isDeclaredBy(named(TOMCAT_PROXY))),
        getClass().getName() + "$ProxyInvokeAdvice");
  }

  public static class GetConnectionAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long onEnter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.This Object dataSource,
        @Advice.Enter long started,
        @Advice.Return Object connection,
        @Advice.Thrown Throwable thrown) {
      DbPools.acquired(dataSource, started, connection, thrown);
    }
  }

  public static class ProxyInvokeAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) Object proxy, @Advice.Argument(1) Method method) {
      DbPools.proxyCalled(proxy, method.getName());
    }
  }
}
