package io.redwing.instrumentation.jedis;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.RedisCalls;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Makes the commands a Jedis 4+ pipeline queues between two syncs one batch (a {@code Jedis} or a
 * pooled client's pipeline, over one connection): marks the connection while the pipeline writes a
 * command and ends the batch when {@code sync()} or {@code syncAndReturnAll()} returns.
 */
public final class JedisPipelineInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jedis";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    // CommandArguments exists from Jedis 4, whose Pipeline writes each command in appendCommand.
    return hasClassesNamed("redis.clients.jedis.CommandArguments");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("redis.clients.jedis.Pipeline");
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    target.applyAdvice(
        namedOneOf("appendCommand", "appendInternalCommand").and(takesArguments(1)),
        prefix + "$AppendCommandAdvice");
    target.applyAdvice(
        namedOneOf("sync", "syncAndReturnAll").and(takesArguments(0)), prefix + "$SyncAdvice");
  }

  public static class AppendCommandAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.FieldValue("connection") Object connection) {
      RedisCalls.pipelining(connection, true);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.FieldValue("connection") Object connection) {
      RedisCalls.pipelining(connection, false);
    }
  }

  public static class SyncAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.FieldValue("connection") Object connection, @Advice.Thrown Throwable thrown) {
      RedisCalls.pipelineSynced(connection, thrown);
    }
  }
}
