package io.redwing.instrumentation.testing;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** A fixture that keeps every advice rule. */
public final class WellBehavedInstrumentation implements TypeInstrumentation {
  @Override
  public String name() {
    return "well-behaved";
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.example.Nothing");
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(named("run"), getClass().getName() + "$RunAdvice");
  }

  public static class RunAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(@Advice.Argument(0) String sql) {
      return Operations.startDbClient(new DbClientRequest("t", "db", null, null, 0, null, sql, 0));
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.Enter Operation op, @Advice.Thrown Throwable thrown) {
      Operations.endDbClient(op, thrown);
    }
  }
}
