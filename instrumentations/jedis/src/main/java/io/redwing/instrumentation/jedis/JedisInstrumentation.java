package io.redwing.instrumentation.jedis;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.RedisCalls;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;

/**
 * Times each command a Jedis 4+ connection sends, plain, pooled, cluster, pipelined or in a
 * transaction, from its write to the read of its reply, taking the command's name, its number of
 * arguments, the connection's address and database index (from its SELECT); the reply is looked at
 * only for the cache counter.
 */
public final class JedisInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jedis";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    // CommandArguments exists from Jedis 4, where every command goes through sendCommand(it).
    return hasClassesNamed("redis.clients.jedis.CommandArguments");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("redis.clients.jedis.Connection");
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    target.applyAdvice(
        named("sendCommand")
            .and(takesArguments(1))
            .and(takesArgument(0, named("redis.clients.jedis.CommandArguments"))),
        prefix + "$SendCommandAdvice");
    target.applyAdvice(
        named("readProtocolWithCheckingBroken").and(takesArguments(0)),
        prefix + "$ReadReplyAdvice");
    target.applyAdvice(
        named("initializeFromClientConfig").and(takesArguments(1)), prefix + "$HandshakeAdvice");
  }

  public static class SendCommandAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(
        @Advice.This Connection connection, @Advice.Argument(0) CommandArguments args) {
      HostAndPort address = connection.getHostAndPort();
      byte[] command = args.getCommand().getRaw();
      return RedisCalls.start(
          "jedis",
          connection,
          command,
          args.size() - 1,
          address.getHost(),
          address.getPort(),
          RedisCalls.namespace(
              connection, command, args.size() == 2 ? args.get(1).getRaw() : null));
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.This Object connection,
        @Advice.Enter Operation op,
        @Advice.Thrown Throwable thrown) {
      RedisCalls.sent(connection, op, thrown);
    }
  }

  /** A new connection's handshake, whose refused fire-and-forget commands Jedis ignores. */
  public static class HandshakeAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object connection) {
      RedisCalls.handshakeStarted(connection);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.This Object connection, @Advice.Thrown Throwable thrown) {
      RedisCalls.handshakeEnded(connection, thrown);
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
