package io.redwing.instrumentation.jedis.v3;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.RedisCalls;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Takes a Jedis 3 connection out of its pipeline when its Jedis sends a command of its own (which
 * Jedis allows once the pipeline is synced, without closing it) or starts a transaction.
 */
public final class Jedis3DirectCommandInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jedis";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    // Before Jedis 4 (no CommandArguments) every direct command checks for a pipeline first.
    return hasClassesNamed("redis.clients.jedis.BinaryJedis")
        .and(not(hasClassesNamed("redis.clients.jedis.CommandArguments")));
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("redis.clients.jedis.BinaryJedis");
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    target.applyAdvice(
        named("checkIsInMultiOrPipeline").and(takesArguments(0)), prefix + "$DirectCommandAdvice");
    target.applyAdvice(named("multi").and(takesArguments(0)), prefix + "$MultiAdvice");
  }

  public static class DirectCommandAdvice {
    // Only on a normal return: the check throws while the pipeline still waits for replies.
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.FieldValue("client") Object client) {
      RedisCalls.pipelining(client, false);
    }
  }

  public static class MultiAdvice {
    // multi() sends MULTI without the check: leave the pipeline before it is written.
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.FieldValue("client") Object client) {
      RedisCalls.pipelining(client, false);
    }
  }
}
