package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

class ServletFailuresTest {

  @Test
  void takesTheCauseOutOfAServletException() {
    IllegalStateException cause = new IllegalStateException("demo failure");

    assertThat(ServletFailures.unwrap(new ServletException("Request processing failed", cause)))
        .isSameAs(cause);
  }

  @Test
  void keepsAServletExceptionWithoutCauseAndAnyOtherException() {
    ServletException alone = new ServletException("no cause");
    RuntimeException wrapped = new RuntimeException(new IllegalStateException());

    assertThat(ServletFailures.unwrap(alone)).isSameAs(alone);
    assertThat(ServletFailures.unwrap(wrapped)).isSameAs(wrapped);
    assertThat(ServletFailures.unwrap(null)).isNull();
  }
}
