package io.redwing.instrumentation.executors;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.TaskContexts;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Carries the submitter's context to the worker of a {@code ThreadPoolExecutor}: taken at {@code
 * execute} (which {@code submit} and {@code invokeAll} go through) or, for a {@code
 * ScheduledThreadPoolExecutor}, where it queues a task (again when a periodic task is re-queued
 * from its own run), and current from the worker's {@code beforeExecute} to its {@code
 * afterExecute}, or to its next {@code getTask} when a subclass's {@code afterExecute} does not
 * call the executor's own.
 */
public final class ThreadPoolExecutorInstrumentation implements TypeInstrumentation {
  private static final String POOL = "java.util.concurrent.ThreadPoolExecutor";
  private static final String SCHEDULED = "java.util.concurrent.ScheduledThreadPoolExecutor";

  @Override
  public String name() {
    return "executors";
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(POOL, SCHEDULED);
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    target.applyAdvice(
        named("execute").and(takesArguments(1)).and(isDeclaredBy(named(POOL))),
        prefix + "$SubmitAdvice");
    target.applyAdvice(
        namedOneOf("delayedExecute", "reExecutePeriodic")
            .and(takesArguments(1))
            .and(isDeclaredBy(named(SCHEDULED))),
        prefix + "$SubmitAdvice");
    // Subclasses that override the hooks are asked by their javadoc to call super first; many
    // afterExecute overrides do not. getTask (private), which runWorker calls between any two
    // tasks and before it waits for the next, detaches what such a task left current.
    target.applyAdvice(
        named("beforeExecute").and(takesArguments(2)).and(isDeclaredBy(named(POOL))),
        prefix + "$BeforeExecuteAdvice");
    target.applyAdvice(
        named("afterExecute").and(takesArguments(2)).and(isDeclaredBy(named(POOL))),
        prefix + "$AfterExecuteAdvice");
    target.applyAdvice(
        named("getTask").and(takesArguments(0)).and(isDeclaredBy(named(POOL))),
        prefix + "$AfterExecuteAdvice");
  }

  public static class SubmitAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.Argument(0) Object task) {
      TaskContexts.submitted(task);
    }
  }

  public static class BeforeExecuteAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.Argument(1) Runnable task) {
      TaskContexts.beforeExecute(task);
    }
  }

  public static class AfterExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter() {
      TaskContexts.afterExecute();
    }
  }
}
