package io.redwing.instrumentation.testing;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** A fixture with one advice class per broken rule. */
@SuppressWarnings({"unused", "UnusedVariable", "UnusedMethod", "CatchAndPrintStackTrace"})
public final class MisbehavingInstrumentation implements TypeInstrumentation {
  static String outer() {
    return "outer";
  }

  @Override
  public String name() {
    return "misbehaving";
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.example.Nothing");
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(named("run"), getClass().getName() + "$FieldAdvice");
    target.applyAdvice(named("run"), getClass().getName() + "$MissingAdvice");
  }

  public static class FieldAdvice {
    public static int calls;

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter() {
      calls++;
    }
  }

  public static class HelperAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter() {
      helper();
    }

    static void helper() {}
  }

  public static class UnsuppressedAdvice {
    @Advice.OnMethodEnter
    public static void onEnter() {}

    @Advice.OnMethodExit
    public static void onExit() {}
  }

  public static class ThrowingAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter() {
      return Operations.startHttpClient(null);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.Enter Operation op) {
      Operations.endHttpClient(op, 200, null);
    }
  }

  public static class ConcatAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.Argument(0) String a, @Advice.Argument(1) String b) {
      Operations.adviceFailed(null, a + b);
    }
  }

  public static class TryAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.Argument(0) String a) {
      try {
        Operations.adviceFailed(null, a);
      } catch (RuntimeException e) {
        e.printStackTrace();
      }
    }
  }

  public static class ListAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.Argument(0) String a) {
      Operations.adviceFailed(null, List.of(a).get(0));
    }
  }

  public static class OuterAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter() {
      Operations.adviceFailed(null, outer());
    }
  }

  static class HiddenAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter() {}
  }
}
