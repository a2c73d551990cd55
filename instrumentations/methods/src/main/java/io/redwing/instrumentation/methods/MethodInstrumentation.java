package io.redwing.instrumentation.methods;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Times the methods {@code otel.instrumentation.methods.include} lists, each as an INTERNAL span
 * and an observation by class and method name, taking only the class and the method's name. Classes
 * match by exact name, as in OpenTelemetry's agent: subclasses are not traced.
 */
final class MethodInstrumentation implements TypeInstrumentation {
  private final Map<String, Set<String>> methods;

  MethodInstrumentation(Map<String, Set<String>> methods) {
    this.methods = methods;
  }

  @Override
  public String name() {
    return MethodTracing.NAME;
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(methods.keySet().toArray(new String[0]));
  }

  @Override
  public void transform(AdviceTarget target) {
    ElementMatcher.Junction<MethodDescription> listed = none();
    for (Map.Entry<String, Set<String>> entry : methods.entrySet()) {
      Set<String> names = entry.getValue();
      listed =
          listed.or(
              isDeclaredBy(named(entry.getKey()))
                  .and(
                      names.contains(MethodsInclude.ALL_METHODS)
                          ? not(isSynthetic())
                          : namedOneOf(names.toArray(new String[0]))));
    }
    // abstract and native methods have no body to put advice in
    target.applyAdvice(
        isMethod().and(not(isAbstract())).and(not(isNative())).and(listed),
        getClass().getName() + "$MethodAdvice");
  }

  public static class MethodAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(
        @Advice.Origin Class<?> type, @Advice.Origin("#m") String method) {
      return Operations.startMethod(type, method);
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
