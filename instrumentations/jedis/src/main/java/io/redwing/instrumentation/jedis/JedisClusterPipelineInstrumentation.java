package io.redwing.instrumentation.jedis;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
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
 * Makes the commands a Jedis 4+ cluster pipeline writes between two syncs one batch, whichever
 * nodes they went to: marks the thread while the pipeline writes a command on its node's connection
 * (not while it opens that connection, which sends commands of its own) and ends the batch when
 * {@code sync()} returns, after the replies of every node were read.
 */
public final class JedisClusterPipelineInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jedis";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    // MultiNodePipelineBase exists from Jedis 4: ClusterPipeline writes each command on appending.
    return hasClassesNamed("redis.clients.jedis.MultiNodePipelineBase");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(
        "redis.clients.jedis.MultiNodePipelineBase", "redis.clients.jedis.ClusterPipeline");
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    target.applyAdvice(
        named("appendCommand").and(takesArguments(1)), prefix + "$AppendCommandAdvice");
    target.applyAdvice(
        named("getConnection").and(takesArguments(1)).and(not(isAbstract())),
        prefix + "$GetConnectionAdvice");
    target.applyAdvice(named("sync").and(takesArguments(0)), prefix + "$SyncAdvice");
  }

  public static class AppendCommandAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object pipeline) {
      RedisCalls.appending(pipeline, true);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.This Object pipeline) {
      RedisCalls.appending(pipeline, false);
    }
  }

  public static class GetConnectionAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static boolean onEnter(@Advice.This Object pipeline) {
      return RedisCalls.pauseAppending(pipeline);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.This Object pipeline, @Advice.Enter boolean paused) {
      RedisCalls.appending(pipeline, paused);
    }
  }

  public static class SyncAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.This Object pipeline, @Advice.Thrown Throwable thrown) {
      RedisCalls.pipelineSynced(pipeline, thrown);
    }
  }
}
