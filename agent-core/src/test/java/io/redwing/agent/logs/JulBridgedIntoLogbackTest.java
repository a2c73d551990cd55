package io.redwing.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.redwing.agent.telemetry.OperationDispatcher;
import io.redwing.agent.telemetry.RedMetrics;
import io.redwing.bootstrap.LogRecords;
import io.redwing.bootstrap.Operations;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * A JUL record that the application bridges into Logback (jul-to-slf4j) reaches the agent through
 * both our JUL handler and the Logback hook unless one of them steps aside: it must arrive once.
 */
class JulBridgedIntoLogbackTest {
  private final List<String> events = new CopyOnWriteArrayList<>();

  /** The Logback hook is installed for the whole test JVM (the testing jar's EarlyInstallation). */
  @BeforeEach
  void routeRecordsToSentryEvents() {
    OperationDispatcher dispatcher =
        new OperationDispatcher(
            new RedMetrics("test", 100), OpenTelemetry.noop(), "test", Set.of(), false);
    dispatcher.routeLogs(
        ApplicationLogs.start(
            (severity, logger, message, error) ->
                events.add(severity + " " + logger + " " + message + " " + error),
            LogRecords.ERROR,
            null,
            0));
    Operations.install(dispatcher);
  }

  @AfterEach
  void remove() {
    SLF4JBridgeHandler.uninstall();
    JulLogHandler.uninstall();
    Operations.uninstall();
  }

  @Test
  void aJulErrorBridgedIntoLogbackIsHandledOnceThroughLogback() {
    SLF4JBridgeHandler.install();
    IllegalStateException failure = new IllegalStateException("card declined");

    Logger.getLogger("com.example.Bridged").log(Level.SEVERE, "payment failed", failure);

    assertThat(events).containsExactly("17 com.example.Bridged payment failed " + failure);
  }

  @Test
  void theLogbackHookSeesLogbackRecordsAndTheJulHandlerUnbridgedJulRecords() {
    IllegalStateException failure = new IllegalStateException("stock gone");

    org.slf4j.LoggerFactory.getLogger("com.example.Direct").error("order failed", failure);
    Logger.getLogger("com.example.Plain").log(Level.SEVERE, "refund failed", failure);

    assertThat(events)
        .containsExactly(
            "17 com.example.Direct order failed " + failure,
            "17 com.example.Plain refund failed " + failure);
  }
}
