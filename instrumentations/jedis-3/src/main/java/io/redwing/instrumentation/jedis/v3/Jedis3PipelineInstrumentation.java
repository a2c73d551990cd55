package io.redwing.instrumentation.jedis.v3;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.RedisCalls;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Makes the commands a Jedis 3 pipeline queues between two syncs one batch: its connection is in a
 * pipeline from {@code setClient} (what {@code jedis.pipelined()} calls) to {@code close()} or the
 * next direct command of its Jedis, and each {@code sync()} or {@code syncAndReturnAll()} ends a
 * batch.
 */
public final class Jedis3PipelineInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jedis";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    // Before Jedis 4 (no CommandArguments) a Pipeline writes commands on its Client directly.
    return hasClassesNamed("redis.clients.jedis.Pipeline")
        .and(not(hasClassesNamed("redis.clients.jedis.CommandArguments")));
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("redis.clients.jedis.Pipeline");
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    target.applyAdvice(named("setClient").and(takesArguments(1)), prefix + "$SetClientAdvice");
    target.applyAdvice(
        namedOneOf("sync", "syncAndReturnAll").and(takesArguments(0)), prefix + "$SyncAdvice");
    target.applyAdvice(named("close").and(takesArguments(0)), prefix + "$CloseAdvice");
  }

  public static class SetClientAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.Argument(0) Object client) {
      RedisCalls.pipelining(client, true);
    }
  }

  public static class SyncAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.FieldValue("client") Object client, @Advice.Thrown Throwable thrown) {
      RedisCalls.pipelineSynced(client, thrown);
    }
  }

  public static class CloseAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.FieldValue("client") Object client) {
      RedisCalls.pipelining(client, false);
    }
  }
}
