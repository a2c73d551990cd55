package io.redwing.instrumentation.lettuce;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.redwing.bootstrap.RedisCalls;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Starts an operation for each command a Lettuce connection dispatches, from the sync, async and
 * reactive APIs alike, taking the command's name and number of arguments, and the server and
 * database index its connection was connected to ({@link LettuceConnectInstrumentation}) or
 * switched to by SELECT; {@link LettuceCommandInstrumentation} ends it when the command completes,
 * on whichever thread. A cluster connection's command starts only once it is written to a node
 * ({@link LettuceClusterRouteInstrumentation}), whose address is known then. The commands
 * dispatched while auto-flush is off, up to {@code flushCommands()}, are one batch.
 */
public final class LettuceDispatchInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "lettuce";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("io.lettuce.core.RedisChannelHandler");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    // Standalone, sentinel and cluster connections all dispatch through this one method.
    return named("io.lettuce.core.RedisChannelHandler");
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(
        named("dispatch")
            .and(takesArguments(1))
            .and(takesArgument(0, named("io.lettuce.core.protocol.RedisCommand"))),
        getClass().getName() + "$DispatchAdvice");
    target.applyAdvice(
        named("setAutoFlushCommands").and(takesArguments(1)).and(takesArgument(0, boolean.class)),
        getClass().getName() + "$AutoFlushAdvice");
    target.applyAdvice(
        named("flushCommands").and(takesArguments(0)), getClass().getName() + "$FlushAdvice");
  }

  public static class DispatchAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.This Object connection, @Advice.Argument(0) RedisCommand<?, ?, ?> command) {
      CommandArgs<?, ?> args = command.getArgs();
      RedisCalls.dispatch(
          "lettuce",
          connection,
          command,
          connection instanceof StatefulRedisClusterConnection,
          CommandWrapper.unwrap(command),
          command.getType().name(),
          args == null ? 0 : args.count(),
          args == null ? null : args.getFirstInteger());
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.Argument(0) Object command, @Advice.Thrown Throwable thrown) {
      RedisCalls.dispatchFailed(command, thrown);
    }
  }

  public static class AutoFlushAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object connection, @Advice.Argument(0) boolean on) {
      RedisCalls.autoFlush(connection, on);
    }
  }

  public static class FlushAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.This Object connection) {
      RedisCalls.flushed(connection);
    }
  }
}
