package io.redwing.instrumentation.servlet.javax;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static io.redwing.instrumentation.api.HierarchyMatchers.isClassImplementing;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import javax.servlet.AsyncContext;
import javax.servlet.ServletRequest;
import javax.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Keeps the operation of a request that calls {@code startAsync} open past its dispatch and ends it
 * at {@code AsyncContext.complete()}, taking the status the response has then.
 */
public final class JavaxAsyncInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    // The same switch as the dispatch instrumentations: async alone would record nothing.
    return "servlet-javax";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("javax.servlet.AsyncContext");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return isClassImplementing("javax.servlet.ServletRequest", "javax.servlet.AsyncContext");
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(
        named("startAsync")
            .and(not(isAbstract()))
            .and(returns(named("javax.servlet.AsyncContext"))),
        getClass().getName() + "$StartAsyncAdvice");
    target.applyAdvice(
        named("complete")
            .and(not(isAbstract()))
            .and(takesArguments(0))
            .and(isDeclaredBy(hasSuperType(named("javax.servlet.AsyncContext")))),
        getClass().getName() + "$CompleteAdvice");
  }

  public static class StartAsyncAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(
        @Advice.This ServletRequest request, @Advice.Return AsyncContext context) {
      Operations.asyncStarted(request, context);
    }
  }

  public static class CompleteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This AsyncContext context) {
      Operations.completeHttpServer(
          context, ((HttpServletResponse) context.getResponse()).getStatus(), null);
    }
  }
}
