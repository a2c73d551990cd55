package io.redwing.instrumentation.lettuce;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.lettuce.core.RedisURI;
import io.redwing.bootstrap.RedisCalls;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Remembers the host, port and database index of the {@code RedisURI} each standalone connection of
 * a {@code RedisClient} is made with: the address the application configured, which is what {@code
 * server.address} means, never the resolved one.
 */
public final class LettuceConnectInstrumentation implements TypeInstrumentation {

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
    return named("io.lettuce.core.RedisClient");
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    // (connection, endpoint, uri, ...) from Lettuce 6; (connection, codec, endpoint, uri, ...) in 5
    target.applyAdvice(
        named("connectStatefulAsync")
            .and(takesArgument(0, named("io.lettuce.core.StatefulRedisConnectionImpl")))
            .and(takesArgument(2, named("io.lettuce.core.RedisURI"))),
        prefix + "$ConnectAdvice");
    target.applyAdvice(
        named("connectStatefulAsync")
            .and(takesArgument(0, named("io.lettuce.core.StatefulRedisConnectionImpl")))
            .and(takesArgument(3, named("io.lettuce.core.RedisURI"))),
        prefix + "$Connect5Advice");
  }

  public static class ConnectAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) Object connection, @Advice.Argument(2) RedisURI uri) {
      RedisCalls.connected(connection, uri.getHost(), uri.getPort(), uri.getDatabase());
    }
  }

  public static class Connect5Advice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) Object connection, @Advice.Argument(3) RedisURI uri) {
      RedisCalls.connected(connection, uri.getHost(), uri.getPort(), uri.getDatabase());
    }
  }
}
