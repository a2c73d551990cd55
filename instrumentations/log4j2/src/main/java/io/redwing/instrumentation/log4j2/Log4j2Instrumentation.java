package io.redwing.instrumentation.log4j2;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.LogRecords;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.message.Message;

/**
 * Hands each Log4j2 (log4j-core) event to the agent once, where the logger's configuration turns it
 * into an event on the logging thread, taking its level, logger name, formatted message and
 * throwable.
 */
public final class Log4j2Instrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "log4j2";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    // only log4j-core: the API bridged to another library (log4j-to-slf4j) is seen there instead
    return hasClassesNamed("org.apache.logging.log4j.core.config.LoggerConfig");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.logging.log4j.core.config.LoggerConfig");
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    // Each logger call enters exactly one of these two (additivity recurses below them); the
    // second, with a caller location, exists from 2.13.
    target.applyAdvice(
        named("log")
            .and(takesArguments(6))
            .and(takesArgument(0, String.class))
            .and(takesArgument(3, named("org.apache.logging.log4j.Level")))
            .and(takesArgument(5, Throwable.class)),
        prefix + "$LogAdvice");
    target.applyAdvice(
        named("log")
            .and(takesArguments(7))
            .and(takesArgument(0, String.class))
            .and(takesArgument(2, StackTraceElement.class))
            .and(takesArgument(4, named("org.apache.logging.log4j.Level")))
            .and(takesArgument(6, Throwable.class)),
        prefix + "$LogWithLocationAdvice");
  }

  public static class LogAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) String loggerName,
        @Advice.Argument(3) Level level,
        @Advice.Argument(4) Message message,
        @Advice.Argument(5) Throwable error) {
      LogRecords.log4j(level.intLevel(), loggerName, message.getFormattedMessage(), error);
    }
  }

  public static class LogWithLocationAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) String loggerName,
        @Advice.Argument(4) Level level,
        @Advice.Argument(5) Message message,
        @Advice.Argument(6) Throwable error) {
      LogRecords.log4j(level.intLevel(), loggerName, message.getFormattedMessage(), error);
    }
  }
}
