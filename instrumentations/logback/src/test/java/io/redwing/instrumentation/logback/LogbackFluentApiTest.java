package io.redwing.instrumentation.logback;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.testing.InstrumentationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** The SLF4J 2 fluent API, which Logback 1.2 (SLF4J 1.7) does not have: not run by logback-1.2. */
class LogbackFluentApiTest {
  @RegisterExtension static final InstrumentationExtension AGENT = new InstrumentationExtension();

  @Test
  void theFluentApiIsSeenToo() {
    IllegalArgumentException failure = new IllegalArgumentException("bad amount");
    LoggerFactory.getLogger("com.example.payments.Fluent")
        .atError()
        .setCause(failure)
        .addArgument(42)
        .log("amount {} rejected");

    assertThat(AGENT.logRecords("com.example.payments.Fluent"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.message()).isEqualTo("amount 42 rejected");
              assertThat(r.error()).isSameAs(failure);
            });
  }
}
