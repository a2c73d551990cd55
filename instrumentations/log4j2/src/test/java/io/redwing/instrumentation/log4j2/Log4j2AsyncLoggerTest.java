package io.redwing.instrumentation.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.testing.AdviceRules;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.async.AsyncLogger;
import org.apache.logging.log4j.core.async.AsyncLoggerConfig;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Log4j2AsyncLoggerTest {
  @RegisterExtension static final InstrumentationExtension AGENT = new InstrumentationExtension();

  /** What the agent's log correlation puts into the ThreadContext while a span is current. */
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  private LoggerContext context;

  @AfterEach
  void stop() {
    if (context != null) {
      context.stop();
    }
  }

  private LoggerContext start(LoggerContext created) throws IOException {
    Files.deleteIfExists(Path.of("target/log4j2-async/async.log"));
    Files.deleteIfExists(Path.of("target/log4j2-async/mixed.log"));
    context = created;
    context.start();
    return context;
  }

  private static java.net.URI config(String name) throws URISyntaxException {
    return Log4j2AsyncLoggerTest.class.getResource("/" + name).toURI();
  }

  /** Logs on this thread while {@code span} is current and the trace id is in the ThreadContext. */
  private static void inRequest(Object span, Runnable logging) {
    ThreadContext.put("trace_id", TRACE_ID);
    try (InstrumentationExtension.ContextScope ignored = AGENT.makeCurrent(span)) {
      logging.run();
    } finally {
      ThreadContext.remove("trace_id");
    }
  }

  @Test
  void anErrorThroughAFullyAsyncLoggerIsHandedOverOnceOnTheThreadThatLoggedIt() throws Exception {
    LoggerContext async =
        start(new AsyncLoggerContext("fully-async", null, config("log4j2-async.xml")));
    IllegalStateException failure = new IllegalStateException("card declined");
    Object span = new Object();
    assertThat(async.getLogger("com.example.async.Checkout")).isInstanceOf(AsyncLogger.class);

    inRequest(
        span,
        () ->
            async
                .getLogger("com.example.async.Checkout")
                .error("payment {} failed", "p-17", failure));
    async.stop(); // drains the ring buffer into the file

    assertThat(AGENT.logRecords("com.example.async.Checkout"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.severity()).isEqualTo(17);
              assertThat(r.message()).isEqualTo("payment p-17 failed");
              assertThat(r.error()).isSameAs(failure);
              assertThat(r.thread()).isSameAs(Thread.currentThread());
              assertThat(r.context()).isSameAs(span);
            });
    assertThat(Files.readAllLines(Path.of("target/log4j2-async/async.log")))
        .first()
        .isEqualTo(
            "ERROR com.example.async.Checkout trace_id=" + TRACE_ID + " payment p-17 failed");
  }

  @Test
  void theLogBuilderOfAnAsyncLoggerIsSeenOnTheLoggingThreadToo() throws Exception {
    LoggerContext async =
        start(new AsyncLoggerContext("fully-async-builder", null, config("log4j2-async.xml")));
    IllegalArgumentException failure = new IllegalArgumentException("bad amount");
    Object span = new Object();

    inRequest(
        span,
        () ->
            async
                .getLogger("com.example.async.Builder")
                .atWarn()
                .withThrowable(failure)
                .withLocation()
                .log("amount {} rejected", 42));

    assertThat(AGENT.logRecords("com.example.async.Builder"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.severity()).isEqualTo(13);
              assertThat(r.message()).isEqualTo("amount 42 rejected");
              assertThat(r.error()).isSameAs(failure);
              assertThat(r.context()).isSameAs(span);
            });
  }

  @Test
  void anAsyncLoggerOfAMixedConfigurationIsHandedOverOnceOnTheThreadThatLoggedIt()
      throws Exception {
    LoggerContext mixed = start(new LoggerContext("mixed", null, config("log4j2-mixed.xml")));
    IllegalStateException failure = new IllegalStateException("stock gone");
    Object span = new Object();
    assertThat(mixed.getConfiguration().getLoggerConfig("com.example.mixed.Stock"))
        .isInstanceOf(AsyncLoggerConfig.class);

    inRequest(
        span, () -> mixed.getLogger("com.example.mixed.Stock").error("order 7 failed", failure));
    mixed.stop();

    assertThat(AGENT.logRecords("com.example.mixed.Stock"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.severity()).isEqualTo(17);
              assertThat(r.error()).isSameAs(failure);
              assertThat(r.thread()).isSameAs(Thread.currentThread());
              assertThat(r.context()).isSameAs(span);
            });
    assertThat(Files.readAllLines(Path.of("target/log4j2-async/mixed.log")))
        .first()
        .isEqualTo("ERROR com.example.mixed.Stock trace_id=" + TRACE_ID + " order 7 failed");
  }

  @Test
  void adviceFollowsTheRules() {
    AdviceRules.check(new Log4j2AsyncLoggerInstrumentation());
  }
}
