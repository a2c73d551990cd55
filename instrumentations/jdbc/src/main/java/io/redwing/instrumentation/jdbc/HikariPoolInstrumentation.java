package io.redwing.instrumentation.jdbc;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.DbPools;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Registers each HikariCP data source when it hands out a connection, so that agent-core can read
 * its pool's connection counts, and times the borrow (the wait, or the failure of a timeout); a
 * pool created before an attach is found on its next borrow. The connection's {@code close()},
 * which ends its use, is seen by {@link JdbcConnectionInstrumentation}.
 */
public final class HikariPoolInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "hikaricp";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("com.zaxxer.hikari.HikariDataSource");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.zaxxer.hikari.HikariDataSource");
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(
        named("getConnection").and(takesArguments(0)),
        getClass().getName() + "$GetConnectionAdvice");
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
}
