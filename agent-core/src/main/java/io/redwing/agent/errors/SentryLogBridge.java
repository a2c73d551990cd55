package io.redwing.agent.errors;

import io.redwing.agent.log.AgentLog;
import io.sentry.ILogger;
import io.sentry.SentryLevel;

/** The SDK's own diagnostics as the agent's rate-limited lines, never on the app's stdout. */
final class SentryLogBridge implements ILogger {

  @Override
  public void log(SentryLevel level, String message, Object... args) {
    log(level, format(message, args), (Throwable) null);
  }

  @Override
  public void log(SentryLevel level, String message, Throwable throwable) {
    if (level == SentryLevel.ERROR || level == SentryLevel.FATAL) {
      AgentLog.warnOnce("sentry:" + message, "Sentry SDK: " + message, throwable);
    } else if (AgentLog.debugEnabled()) {
      AgentLog.debug("Sentry SDK: " + message);
    }
  }

  @Override
  public void log(SentryLevel level, Throwable throwable, String message, Object... args) {
    log(level, format(message, args), throwable);
  }

  @Override
  public boolean isEnabled(SentryLevel level) {
    return level != null;
  }

  private static String format(String message, Object... args) {
    try {
      return args == null || args.length == 0 ? message : String.format(message, args);
    } catch (RuntimeException e) {
      return message;
    }
  }
}
