package io.redwing.instrumentation.lettuce;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static io.redwing.instrumentation.api.HierarchyMatchers.isClassImplementing;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.RedisCommand;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.RedisCalls;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Ends a dispatched Lettuce command's operation when the reply completes it, it fails or it is
 * cancelled (a sync call's timeout cancels it), before the application's callbacks run; the reply
 * is looked at only for the cache counter, an error reply only for its code.
 */
public final class LettuceCommandInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "lettuce";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("io.lettuce.core.protocol.RedisCommand");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return nameStartsWith("io.lettuce.core.")
        .and(isClassImplementing("io.lettuce.core.protocol.RedisCommand"));
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    target.applyAdvice(
        named("complete").and(takesArguments(0)).and(not(isAbstract())),
        prefix + "$CompleteAdvice");
    target.applyAdvice(
        named("completeExceptionally").and(takesArguments(1)).and(not(isAbstract())),
        prefix + "$CompleteExceptionallyAdvice");
    // cancel() of the command, cancel(boolean) of the future the async API hands out
    target.applyAdvice(named("cancel").and(not(isAbstract())), prefix + "$CancelAdvice");
  }

  public static class CompleteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This RedisCommand<?, ?, ?> command) {
      Operation op = RedisCalls.take(command);
      if (op != null) {
        CommandOutput<?, ?, ?> output = command.getOutput();
        if (output != null && output.hasError()) {
          RedisCalls.errorReply(op, output.getError());
        } else {
          RedisCalls.completed(op, output == null ? null : output.get());
        }
      }
    }
  }

  public static class CompleteExceptionallyAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object command, @Advice.Argument(0) Throwable error) {
      RedisCalls.failed(RedisCalls.take(command), error);
    }
  }

  public static class CancelAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object command) {
      RedisCalls.cancelled(RedisCalls.take(command));
    }
  }
}
