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
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.message.Message;

/**
 * Hands each event of a Log4j2 async logger (AsyncLoggerContextSelector) to the agent on the thread
 * that logged it, before the disruptor carries it to the background thread where LoggerConfig sees
 * it: level, logger name, formatted message and throwable.
 */
public final class Log4j2AsyncLoggerInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "log4j2";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("org.apache.logging.log4j.core.async.AsyncLogger");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.logging.log4j.core.async.AsyncLogger");
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    // AbstractLogger's calls end in logMessage; the LogBuilder's, with a location, in log (2.13+)
    target.applyAdvice(
        named("logMessage")
            .and(takesArguments(5))
            .and(takesArgument(0, String.class))
            .and(takesArgument(1, named("org.apache.logging.log4j.Level")))
            .and(takesArgument(4, Throwable.class)),
        prefix + "$LogMessageAdvice");
    target.applyAdvice(
        named("log")
            .and(takesArguments(6))
            .and(takesArgument(0, named("org.apache.logging.log4j.Level")))
            .and(takesArgument(3, StackTraceElement.class))
            .and(takesArgument(5, Throwable.class)),
        prefix + "$LogWithLocationAdvice");
  }

  public static class LogMessageAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.This Logger logger,
        @Advice.Argument(1) Level level,
        @Advice.Argument(3) Message message,
        @Advice.Argument(4) Throwable error) {
      LogRecords.log4jAsync(
          level.intLevel(), logger.getName(), message.getFormattedMessage(), error);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit() {
      LogRecords.log4jAsyncEnd();
    }
  }

  public static class LogWithLocationAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.This Logger logger,
        @Advice.Argument(0) Level level,
        @Advice.Argument(4) Message message,
        @Advice.Argument(5) Throwable error) {
      LogRecords.log4jAsync(
          level.intLevel(), logger.getName(), message.getFormattedMessage(), error);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit() {
      LogRecords.log4jAsyncEnd();
    }
  }
}
