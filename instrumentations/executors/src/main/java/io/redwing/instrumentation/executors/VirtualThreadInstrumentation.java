package io.redwing.instrumentation.executors;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.TaskContexts;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Starts a virtual thread's task in the context of the thread that started it (JDK 21+; the type
 * does not exist before, so nothing matches there).
 */
public final class VirtualThreadInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "executors";
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("java.lang.VirtualThread");
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    // start(ThreadContainer): what start() and the thread-per-task executors both end in.
    target.applyAdvice(named("start").and(takesArguments(1)), prefix + "$StartAdvice");
    target.applyAdvice(
        named("run").and(takesArguments(1)).and(takesArgument(0, Runnable.class)),
        prefix + "$RunAdvice");
  }

  public static class StartAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object thread) {
      TaskContexts.submitted(thread);
    }
  }

  public static class RunAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.This Object thread) {
      return TaskContexts.runningThread(thread);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.Enter Object token) {
      TaskContexts.finished(token);
    }
  }
}
