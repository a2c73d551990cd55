package io.redwing.agent;

import io.redwing.agent.log.AgentLog;
import io.redwing.instrumentation.api.Installer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drops the type descriptions the installer cached for class loaders that have stopped loading
 * classes. Parsed types speed up start-up, when classes load by the thousand; kept afterwards they
 * were most of the heap the agent held.
 */
final class TypeCacheRelease implements Runnable {
  static final long PERIOD_SECONDS = 15;

  private TypeCacheRelease() {}

  static ScheduledExecutorService schedule() {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(AgentThreads.daemons("type-cache"));
    executor.scheduleWithFixedDelay(
        new TypeCacheRelease(), PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    return executor;
  }

  @Override
  public void run() {
    try {
      Installer.releaseIdleTypeCaches(TimeUnit.SECONDS.toNanos(PERIOD_SECONDS));
    } catch (RuntimeException e) {
      // a failed run would cancel the schedule; the next one may succeed
      AgentLog.warnOnce("type-cache", "releasing cached type descriptions failed", e);
    }
  }
}
