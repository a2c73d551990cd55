package io.redwing.instrumentation.logback;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.testing.AdviceRules;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import io.redwing.instrumentation.testing.LogRecord;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogbackInstrumentationTest {
  @RegisterExtension static final InstrumentationExtension AGENT = new InstrumentationExtension();

  private static List<LogRecord> records(String logger) {
    return AGENT.logRecords().stream()
        .filter(r -> r.logger().equals(logger))
        .collect(Collectors.toList());
  }

  @Test
  void anErrorWithItsThrowableIsHandedOverOnceOnTheLoggingThread() {
    IllegalStateException failure = new IllegalStateException("card declined");
    // two appenders on the way up (the logger's own and root's): still one record
    LoggerFactory.getLogger("com.example.payments.Checkout")
        .error("payment {} failed", "p-17", failure);

    assertThat(records("com.example.payments.Checkout"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.severity()).isEqualTo(17);
              assertThat(r.message()).isEqualTo("payment p-17 failed");
              assertThat(r.error()).isSameAs(failure);
              assertThat(r.thread()).isSameAs(Thread.currentThread());
            });
  }

  @Test
  void levelsMapToOpenTelemetrySeverities() {
    Logger logger = LoggerFactory.getLogger("com.example.payments.Levels");
    logger.warn("slow provider");
    logger.info("started");
    logger.debug("details");
    logger.trace("below the logger's level");

    assertThat(records("com.example.payments.Levels"))
        .extracting(LogRecord::severity, LogRecord::message, LogRecord::error)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(13, "slow provider", null),
            org.assertj.core.groups.Tuple.tuple(9, "started", null),
            org.assertj.core.groups.Tuple.tuple(5, "details", null));
  }

  @Test
  void recordsBelowTheConfiguredLevelAreNotHandedOver() {
    LoggerFactory.getLogger("com.example.Quiet").debug("not logged at all");

    assertThat(records("com.example.Quiet")).isEmpty();
  }

  @Test
  void theFluentApiIsSeenToo() {
    IllegalArgumentException failure = new IllegalArgumentException("bad amount");
    LoggerFactory.getLogger("com.example.payments.Fluent")
        .atError()
        .setCause(failure)
        .addArgument(42)
        .log("amount {} rejected");

    assertThat(records("com.example.payments.Fluent"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.message()).isEqualTo("amount 42 rejected");
              assertThat(r.error()).isSameAs(failure);
            });
  }

  @Test
  void adviceFollowsTheRules() {
    AdviceRules.check(new LogbackInstrumentation());
  }
}
