package io.redwing.instrumentation.executors;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.TaskContexts;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Carries context into {@code ForkJoinPool} tasks and {@code CompletableFuture} async stages (which
 * are fork-join tasks): taken where every submission and fork lands, the work queue's push, or when
 * an async stage is created, and current while the task runs, on a pool ({@code doExec}) or on any
 * other executor ({@code run}).
 */
public final class ForkJoinInstrumentation implements TypeInstrumentation {
  private static final String QUEUE = "java.util.concurrent.ForkJoinPool$WorkQueue";
  private static final String TASK = "java.util.concurrent.ForkJoinTask";
  private static final String STAGE = "java.util.concurrent.CompletableFuture$UniCompletion";
  private static final String THREAD_PER_TASK =
      "java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor";

  @Override
  public String name() {
    return "executors";
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(
        QUEUE,
        TASK,
        STAGE,
        THREAD_PER_TASK,
        "java.util.concurrent.CompletableFuture$Completion",
        "java.util.concurrent.CompletableFuture$AsyncSupply",
        "java.util.concurrent.CompletableFuture$AsyncRun");
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    // JDK 17 pushes external submissions with lockedPush, JDK 21+ everything with push.
    target.applyAdvice(
        namedOneOf("push", "lockedPush")
            .and(takesArgument(0, named(TASK)))
            .and(isDeclaredBy(named(QUEUE))),
        prefix + "$SubmitAdvice");
    // supplyAsync's executor when the common pool has a single worker (JDK 17 on two cores)
    target.applyAdvice(
        named("execute").and(isDeclaredBy(named(THREAD_PER_TASK))), prefix + "$SubmitAdvice");
    // UniCompletion(Executor executor, ...): the executor is null unless the stage is async.
    target.applyAdvice(
        isConstructor().and(takesArguments(3)).and(isDeclaredBy(named(STAGE))),
        prefix + "$StageAdvice");
    target.applyAdvice(named("doExec").and(isDeclaredBy(named(TASK))), prefix + "$RunAdvice");
    target.applyAdvice(
        named("run")
            .and(takesArguments(0))
            .and(isDeclaredBy(nameStartsWith("java.util.concurrent.CompletableFuture$"))),
        prefix + "$RunAdvice");
  }

  public static class SubmitAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.Argument(0) Object task) {
      TaskContexts.submitted(task);
    }
  }

  public static class StageAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.This Object stage, @Advice.Argument(0) Object executor) {
      TaskContexts.submitted(stage, executor);
    }
  }

  public static class RunAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.This Object task) {
      return TaskContexts.running(task);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.Enter Object token) {
      TaskContexts.finished(token);
    }
  }
}
