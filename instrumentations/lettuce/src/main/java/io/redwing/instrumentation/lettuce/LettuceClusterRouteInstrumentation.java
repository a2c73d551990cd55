package io.redwing.instrumentation.lettuce;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.Channel;
import io.redwing.bootstrap.RedisCalls;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Starts a Lettuce cluster command's operation when a node's connection writes it, taking that
 * node's address from the connection's channel: the cluster connection picks the node by the key's
 * slot only then, and writes the command again to another node on a MOVED or ASK reply.
 */
public final class LettuceClusterRouteInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "lettuce";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("io.lettuce.core.protocol.CommandWrapper");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.lettuce.core.protocol.CommandHandler");
  }

  @Override
  public void transform(AdviceTarget target) {
    // Single writes and batches alike put each command on the stack of those awaiting a reply.
    target.applyAdvice(
        named("addToStack")
            .and(takesArguments(2))
            .and(takesArgument(0, named("io.lettuce.core.protocol.RedisCommand"))),
        getClass().getName() + "$AddToStackAdvice");
  }

  public static class AddToStackAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.FieldValue("channel") Channel channel,
        @Advice.Argument(0) RedisCommand<?, ?, ?> command) {
      RedisCalls.routed(CommandWrapper.unwrap(command), channel.remoteAddress());
    }
  }
}
