package io.redwing.agent.errors;

import io.redwing.agent.log.AgentLog;
import io.sentry.ILogger;
import io.sentry.SentryLevel;

/**
 * The SDK's own diagnostics as the agent's rate-limited lines, never on the app's stdout. A Sentry
 * that cannot be reached or refuses events makes the SDK's sender say so in three or four errors
 * per envelope; they become one line, once, naming the Sentry and the first cause.
 */
final class SentryLogBridge implements ILogger {
  /** The SDK's sender threads: what goes wrong on them is a delivery failure. */
  private static final String SENDER_THREAD = "SentryAsyncConnection";

  private final String sentry;

  /** {@code sentry} names the Sentry in the delivery line: the DSN without its key. */
  SentryLogBridge(String sentry) {
    this.sentry = sentry;
  }

  @Override
  public void log(SentryLevel level, String message, Object... args) {
    log(level, format(message, args), (Throwable) null);
  }

  @Override
  public void log(SentryLevel level, String message, Throwable throwable) {
    if (level != SentryLevel.ERROR && level != SentryLevel.FATAL) {
      if (AgentLog.debugEnabled()) {
        AgentLog.debug("Sentry SDK: " + message);
      }
    } else if (Thread.currentThread().getName().startsWith(SENDER_THREAD)) {
      AgentLog.warnOnce(
          "sentry-delivery",
          "errors could not be delivered to Sentry at "
              + sentry
              + " ("
              + (throwable == null ? message : AgentLog.rootCause(throwable))
              + "); the application is unaffected, events are dropped while this lasts, and this"
              + " is not logged again");
    } else {
      AgentLog.warnOnce("sentry:" + message, "Sentry SDK: " + message, throwable);
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
