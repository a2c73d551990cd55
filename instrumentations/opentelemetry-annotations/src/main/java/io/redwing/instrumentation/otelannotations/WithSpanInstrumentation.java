package io.redwing.instrumentation.otelannotations;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasParameters;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.whereAny;

import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Times methods annotated with OpenTelemetry's {@code @WithSpan} (and its predecessor in {@code
 * io.opentelemetry.extension.annotations}) as spans and observations like configured methods,
 * taking the class, the method's name and descriptor, and the arguments of {@code @SpanAttribute}
 * parameters; agent-core reads the annotations' values.
 */
public final class WithSpanInstrumentation implements TypeInstrumentation {
  private static final String WITH_SPAN = "io.opentelemetry.instrumentation.annotations.WithSpan";
  private static final String OLD_WITH_SPAN = "io.opentelemetry.extension.annotations.WithSpan";
  private static final String SPAN_ATTRIBUTE =
      "io.opentelemetry.instrumentation.annotations.SpanAttribute";
  private static final String OLD_SPAN_ATTRIBUTE =
      "io.opentelemetry.extension.annotations.SpanAttribute";

  @Override
  public String name() {
    return "opentelemetry-instrumentation-annotations";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    // The annotations are the application's: a loader that cannot see them has no such methods.
    return hasClassesNamed(WITH_SPAN).or(hasClassesNamed(OLD_WITH_SPAN));
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return declaresMethod(withSpan());
  }

  @Override
  public void transform(AdviceTarget target) {
    ElementMatcher.Junction<MethodDescription> attributes =
        hasParameters(whereAny(isAnnotatedWith(namedOneOf(SPAN_ATTRIBUTE, OLD_SPAN_ATTRIBUTE))));
    String prefix = getClass().getName();
    target.applyAdvice(withSpan().and(not(attributes)), prefix + "$WithSpanAdvice");
    // only these methods pay for an arguments array
    target.applyAdvice(withSpan().and(attributes), prefix + "$WithSpanAttributesAdvice");
  }

  private static ElementMatcher.Junction<MethodDescription> withSpan() {
    return isMethod()
        .and(not(isAbstract()))
        .and(not(isNative()))
        .and(isAnnotatedWith(namedOneOf(WITH_SPAN, OLD_WITH_SPAN)));
  }

  public static class WithSpanAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(
        @Advice.Origin Class<?> type,
        @Advice.Origin("#m") String method,
        @Advice.Origin("#d") String descriptor) {
      return Operations.startAnnotatedMethod(type, method, descriptor, null);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.Enter Operation op,
        @Advice.Thrown Throwable thrown,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned) {
      Operations.endMethod(op, thrown, returned);
    }
  }

  public static class WithSpanAttributesAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(
        @Advice.Origin Class<?> type,
        @Advice.Origin("#m") String method,
        @Advice.Origin("#d") String descriptor,
        @Advice.AllArguments Object[] arguments) {
      return Operations.startAnnotatedMethod(type, method, descriptor, arguments);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.Enter Operation op,
        @Advice.Thrown Throwable thrown,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned) {
      Operations.endMethod(op, thrown, returned);
    }
  }
}
