package io.redwing.instrumentation.log4j2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.redwing.instrumentation.testing.AdviceRules;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import io.redwing.instrumentation.testing.LogRecord;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Log4j2InstrumentationTest {
  @RegisterExtension static final InstrumentationExtension AGENT = new InstrumentationExtension();

  private static List<LogRecord> records(String logger) {
    return AGENT.logRecords().stream()
        .filter(r -> r.logger().equals(logger))
        .collect(Collectors.toList());
  }

  @Test
  void anErrorWithItsThrowableIsHandedOverOnceOnTheLoggingThread() {
    IllegalStateException failure = new IllegalStateException("card declined");
    // two appenders on the way up (the logger config's own and root's): still one record
    LogManager.getLogger("com.example.payments.Checkout")
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
    Logger logger = LogManager.getLogger("com.example.payments.Levels");
    logger.fatal("out of memory");
    logger.warn("slow provider");
    logger.info("started");
    logger.debug("details");
    logger.trace("below the logger's level");

    assertThat(records("com.example.payments.Levels"))
        .extracting(LogRecord::severity, LogRecord::message, LogRecord::error)
        .containsExactly(
            tuple(21, "out of memory", null),
            tuple(13, "slow provider", null),
            tuple(9, "started", null),
            tuple(5, "details", null));
  }

  @Test
  void recordsBelowTheConfiguredLevelAreNotHandedOver() {
    LogManager.getLogger("com.example.Quiet").debug("not logged at all");

    assertThat(records("com.example.Quiet")).isEmpty();
  }

  @Test
  void theLogBuilderWithItsCallerLocationIsSeenToo() {
    IllegalArgumentException failure = new IllegalArgumentException("bad amount");
    LogManager.getLogger("com.example.payments.Builder")
        .atError()
        .withThrowable(failure)
        .withLocation()
        .log("amount {} rejected", 42);

    assertThat(records("com.example.payments.Builder"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.message()).isEqualTo("amount 42 rejected");
              assertThat(r.error()).isSameAs(failure);
            });
  }

  @Test
  void adviceFollowsTheRules() {
    AdviceRules.check(new Log4j2Instrumentation());
  }
}
