package io.redwing.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.redwing.agent.AgentThreads;
import io.redwing.agent.telemetry.RequestHistory;
import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.LogRecords;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApplicationLogsTest {
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> exported = new CopyOnWriteArrayList<>();
  private final ApplicationLogs.Errors errors =
      (severity, logger, message, error) ->
          events.add(severity + " " + logger + " " + message + (error == null ? "" : " " + error));
  private final ApplicationLogs.Export export =
      (severity, logger, message, error) -> exported.add(severity + " " + message);

  @AfterEach
  void removeJulHandlers() {
    for (java.util.logging.Handler handler : Logger.getLogger("").getHandlers()) {
      if (handler instanceof JulLogHandler) {
        Logger.getLogger("").removeHandler(handler);
      }
    }
  }

  private static RequestHistory history() {
    return new RequestHistory(
        new HttpServerRequest(
            "test",
            "GET",
            "http",
            "localhost",
            8080,
            "/pay",
            null,
            null,
            null,
            null,
            null,
            null,
            null),
        null,
        3);
  }

  @Test
  void recordsAtOrAboveTheEventSeverityBecomeEventsAndLowerOnesDoNot() {
    ApplicationLogs logs = new ApplicationLogs(errors, LogRecords.ERROR, null, 0);
    IllegalStateException failure = new IllegalStateException("declined");
    logs.record(LogRecords.FATAL, "com.example.A", "disk gone", null);
    logs.record(LogRecords.ERROR, "com.example.A", "payment failed", failure);
    logs.record(LogRecords.WARN, "com.example.A", "slow", null);
    logs.record(LogRecords.INFO, "com.example.A", "started", null);

    assertThat(events)
        .containsExactly(
            "21 com.example.A disk gone",
            "17 com.example.A payment failed java.lang.IllegalStateException: declined");
  }

  @Test
  void theWarnLevelMakesWarningsEventsToo() {
    ApplicationLogs logs = new ApplicationLogs(errors, LogRecords.WARN, null, 0);
    logs.record(LogRecords.WARN, "com.example.A", "slow", null);
    logs.record(LogRecords.INFO, "com.example.A", "started", null);

    assertThat(events).containsExactly("13 com.example.A slow");
  }

  @Test
  void switchedOffNothingBecomesAnEventButWarningsStillAreBreadcrumbs() {
    ApplicationLogs logs = new ApplicationLogs(errors, 0, null, 0);
    RequestHistory history = history();
    try (Scope ignored = Context.root().with(RequestHistory.KEY, history).makeCurrent()) {
      logs.record(LogRecords.ERROR, "com.example.A", "payment failed", null);
      logs.record(LogRecords.WARN, "com.example.A", "slow", null);
    }

    assertThat(events).isEmpty();
    assertThat(history.steps())
        .extracting(s -> s.category + " " + s.message + " " + s.data)
        .containsExactly(
            "log payment failed {logger=com.example.A, level=error}",
            "log slow {logger=com.example.A, level=warning}");
  }

  @Test
  void warningsAreBreadcrumbsOfTheCurrentRequestOnlyBoundedInNumber() {
    ApplicationLogs logs = new ApplicationLogs(errors, LogRecords.ERROR, null, 0);
    logs.record(LogRecords.WARN, "com.example.A", "outside any request", null);
    RequestHistory history = history();
    try (Scope ignored = Context.root().with(RequestHistory.KEY, history).makeCurrent()) {
      for (int i = 1; i <= 5; i++) {
        logs.record(LogRecords.WARN, "com.example.A", "retry " + i, null);
      }
      logs.record(LogRecords.INFO, "com.example.A", "not a breadcrumb", null);
    }

    assertThat(history.steps())
        .extracting(s -> s.message)
        .containsExactly("retry 3", "retry 4", "retry 5");
    assertThat(history.dropped()).isEqualTo(2);
  }

  @Test
  void theAgentsOwnLoggersAndThreadsNeverComeBack() throws Exception {
    ApplicationLogs logs = new ApplicationLogs(errors, LogRecords.ERROR, null, 0);
    logs.record(LogRecords.ERROR, "io.redwing.shaded.io.sentry.Client", "send failed", null);
    ExecutorService agentPool = AgentThreads.fixedPool("test", 1);
    try {
      agentPool
          .submit(() -> logs.record(LogRecords.ERROR, "com.example.A", "on an agent thread", null))
          .get(10, TimeUnit.SECONDS);
    } finally {
      agentPool.shutdownNow();
    }
    logs.record(LogRecords.ERROR, "com.example.A", "the application's", null);

    assertThat(events).containsExactly("17 com.example.A the application's");
  }

  @Test
  void aRecordLoggedWhileOneIsHandledIsIgnored() {
    ApplicationLogs[] self = new ApplicationLogs[1];
    ApplicationLogs.Errors reentrant =
        (severity, logger, message, error) -> {
          events.add(message);
          // what a logging library the reporter touches would do: log from inside the handling
          self[0].record(LogRecords.ERROR, "com.example.Inner", "inner", null);
        };
    self[0] = new ApplicationLogs(reentrant, LogRecords.ERROR, null, 0);
    self[0].record(LogRecords.ERROR, "com.example.A", "outer", null);
    self[0].record(LogRecords.ERROR, "com.example.A", "next", null);

    assertThat(events).containsExactly("outer", "next");
  }

  @Test
  void exportTakesRecordsFromItsOwnSeverity() {
    ApplicationLogs logs = new ApplicationLogs(null, 0, export, LogRecords.INFO);
    logs.record(LogRecords.DEBUG, "com.example.A", "details", null);
    logs.record(LogRecords.INFO, "com.example.A", "started", null);
    logs.record(LogRecords.ERROR, "com.example.A", "failed", null);

    assertThat(exported).containsExactly("9 started", "17 failed");
    assertThat(events).isEmpty();
  }

  @Test
  void javaUtilLoggingRecordsTakeTheSamePath() {
    ApplicationLogs logs = ApplicationLogs.start(errors, LogRecords.ERROR, null, 0);
    assertThat(logs).isNotNull();
    Logger logger = Logger.getLogger("com.example.Jul");
    logger.log(Level.SEVERE, "payment {0} failed", "p-1");
    logger.warning("slow");
    logger.info("started");

    assertThat(events).containsExactly("17 com.example.Jul payment p-1 failed");
  }

  @Test
  void aJavaUtilLoggingParameterThatThrowsNeverFailsTheApplicationsLogCall() {
    ApplicationLogs.start(errors, LogRecords.ERROR, null, 0);
    Object lazyProxy =
        new Object() {
          @Override
          public String toString() {
            throw new IllegalStateException("no session");
          }
        };
    Logger logger = Logger.getLogger("com.example.Jul");

    logger.log(Level.SEVERE, "could not save {0}", lazyProxy);

    // the record still goes out, with its pattern unformatted
    assertThat(events).containsExactly("17 com.example.Jul could not save {0}");
  }

  @Test
  void withNeitherSentryNorExportThereIsNothingToRoute() {
    assertThat(ApplicationLogs.start(null, LogRecords.ERROR, null, 0)).isNull();
  }
}
