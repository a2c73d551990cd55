package io.redwing.instrumentation.logback;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.redwing.bootstrap.LogRecords;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Hands each Logback event to the agent once, where it goes to the appenders (after the level
 * check, on the logging thread), taking its level, logger name, formatted message and throwable.
 */
public final class LogbackInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "logback";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("ch.qos.logback.classic.spi.ILoggingEvent");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("ch.qos.logback.classic.Logger");
  }

  @Override
  public void transform(AdviceTarget target) {
    // callAppenders walks the logger hierarchy itself: one call per event, in 1.2 as in 1.5
    target.applyAdvice(
        named("callAppenders")
            .and(takesArguments(1))
            .and(takesArgument(0, named("ch.qos.logback.classic.spi.ILoggingEvent"))),
        getClass().getName() + "$CallAppendersAdvice");
  }

  public static class CallAppendersAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.Argument(0) ILoggingEvent event) {
      LogRecords.logback(
          event.getLevel().toInt(),
          event.getLoggerName(),
          event.getFormattedMessage(),
          event.getThrowableProxy());
    }
  }
}
