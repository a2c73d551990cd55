package io.redwing.agent.control;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Two instrumentations of {@code Greeter}: one whose advice always throws, one that works. */
final class TestInstrumentations {
  static final String GREETER = "io.redwing.livetarget.Greeter";

  private TestInstrumentations() {}

  /** Its advice throws on every {@code greet}: Byte Buddy suppresses it and reports it. */
  static final class Throwing implements TypeInstrumentation {
    @Override
    public String name() {
      return "throwing-test";
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named(GREETER);
    }

    @Override
    public void transform(AdviceTarget target) {
      target.applyAdvice(named("greet"), Throwing.class.getName() + "$ThrowAdvice");
    }

    public static class ThrowAdvice {
      @Advice.OnMethodExit(suppress = Throwable.class)
      public static void onExit() {
        throw new IllegalStateException("advice bug");
      }
    }
  }

  /** Upper-cases what {@code shout} returns, so that a test sees it is installed. */
  static final class Shouting implements TypeInstrumentation {
    @Override
    public String name() {
      return "shouting-test";
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named(GREETER);
    }

    @Override
    public void transform(AdviceTarget target) {
      target.applyAdvice(named("shout"), Shouting.class.getName() + "$ShoutAdvice");
    }

    public static class ShoutAdvice {
      @Advice.OnMethodExit(suppress = Throwable.class)
      public static void onExit(@Advice.Return(readOnly = false) String returned) {
        returned = returned.toUpperCase(java.util.Locale.ROOT);
      }
    }
  }

  /** Matches a class that does not exist. */
  static final class Nowhere implements TypeInstrumentation {
    @Override
    public String name() {
      return "nowhere-test";
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("io.redwing.livetarget.Absent");
    }

    @Override
    public void transform(AdviceTarget target) {
      target.applyAdvice(named("absent"), Shouting.class.getName() + "$ShoutAdvice");
    }
  }
}
