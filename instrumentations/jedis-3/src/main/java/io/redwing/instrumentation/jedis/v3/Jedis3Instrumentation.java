package io.redwing.instrumentation.jedis.v3;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.RedisCalls;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import redis.clients.jedis.Connection;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * Times each command a Jedis 3 connection sends, plain, pooled, pipelined or in a transaction, from
 * its write to the read of its reply, taking the command's name, its number of arguments and the
 * connection's address; the reply is looked at only for the cache counter.
 */
public final class Jedis3Instrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jedis";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    // Before Jedis 4 (no CommandArguments) every command goes through sendCommand(cmd, byte[]...).
    return hasClassesNamed("redis.clients.jedis.Connection")
        .and(not(hasClassesNamed("redis.clients.jedis.CommandArguments")));
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("redis.clients.jedis.Connection");
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    target.applyAdvice(
        named("sendCommand").and(takesArguments(2)).and(takesArgument(1, byte[][].class)),
        prefix + "$SendCommandAdvice");
    target.applyAdvice(
        named("readProtocolWithCheckingBroken").and(takesArguments(0)),
        prefix + "$ReadReplyAdvice");
  }

  public static class SendCommandAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(
        @Advice.This Connection connection,
        @Advice.Argument(0) ProtocolCommand command,
        @Advice.Argument(1) byte[][] args) {
      return RedisCalls.start(
          "jedis",
          connection,
          command.getRaw(),
          args == null ? 0 : args.length,
          connection.getHost(),
          connection.getPort(),
          RedisCalls.namespace(
              connection, command.getRaw(), args != null && args.length == 1 ? args[0] : null));
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.This Object connection,
        @Advice.Enter Operation op,
        @Advice.Thrown Throwable thrown) {
      RedisCalls.sent(connection, op, thrown);
    }
  }

  public static class ReadReplyAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.This Object connection,
        @Advice.Return Object reply,
        @Advice.Thrown Throwable thrown) {
      RedisCalls.replied(connection, reply, thrown);
    }
  }
}
