package io.redwing.instrumentation.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.redwing.instrumentation.testing.AdviceRules;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import io.redwing.instrumentation.testing.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogbackInstrumentationTest {
  @RegisterExtension static final InstrumentationExtension AGENT = new InstrumentationExtension();

  @Test
  void anErrorWithItsThrowableIsHandedOverOnceOnTheLoggingThread() {
    IllegalStateException failure = new IllegalStateException("card declined");
    // two appenders on the way up (the logger's own and root's): still one record
    LoggerFactory.getLogger("com.example.payments.Checkout")
        .error("payment {} failed", "p-17", failure);

    assertThat(AGENT.logRecords("com.example.payments.Checkout"))
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
  void aWarningInsideARequestIsHandedOverWithTheRequestsContextForItsBreadcrumb() {
    Object request = new Object();
    try (InstrumentationExtension.ContextScope ignored = AGENT.makeCurrent(request)) {
      LoggerFactory.getLogger("com.example.payments.Slow").warn("provider took {} ms", 900);
    }

    assertThat(AGENT.logRecords("com.example.payments.Slow"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.severity()).isEqualTo(13);
              assertThat(r.message()).isEqualTo("provider took 900 ms");
              assertThat(r.context()).isSameAs(request);
            });
  }

  @Test
  void levelsMapToOpenTelemetrySeverities() {
    Logger logger = LoggerFactory.getLogger("com.example.payments.Levels");
    logger.warn("slow provider");
    logger.info("started");
    logger.debug("details");
    logger.trace("below the logger's level");

    assertThat(AGENT.logRecords("com.example.payments.Levels"))
        .extracting(LogRecord::severity, LogRecord::message, LogRecord::error)
        .containsExactly(
            tuple(13, "slow provider", null), tuple(9, "started", null), tuple(5, "details", null));
  }

  @Test
  void recordsBelowTheConfiguredLevelAreNotHandedOver() {
    LoggerFactory.getLogger("com.example.Quiet").debug("not logged at all");

    assertThat(AGENT.logRecords("com.example.Quiet")).isEmpty();
  }

  @Test
  void adviceFollowsTheRules() {
    AdviceRules.check(new LogbackInstrumentation());
  }
}
