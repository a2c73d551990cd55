package io.redwing.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.sentry.SentryEvent;
import io.sentry.SentryExceptionFactory;
import io.sentry.SentryOptions;
import io.sentry.SentryStackTraceFactory;
import io.sentry.protocol.SentryException;
import java.io.IOException;
import java.sql.SQLIntegrityConstraintViolationException;
import org.junit.jupiter.api.Test;

class ExceptionTextTest {
  private static final String DRIVER_MESSAGE = "Duplicate entry 'S3cret-ssn' for key 'users.ssn'";

  private static SQLIntegrityConstraintViolationException driverError() {
    return new SQLIntegrityConstraintViolationException(
        DRIVER_MESSAGE, "23000", 1062, new IOException("read 42 bytes"));
  }

  @Test
  void aDriversExceptionAndAWrapperThatCopiesItsMessageGoOutAsTheCodes() {
    SQLIntegrityConstraintViolationException driver = driverError();
    IllegalStateException wrapper =
        new IllegalStateException("could not execute statement [" + DRIVER_MESSAGE + "]", driver);

    assertThat(ExceptionText.message(driver)).isEqualTo("SQLState 23000, vendor code 1062");
    assertThat(ExceptionText.message(wrapper))
        .isEqualTo(
            "caused by java.sql.SQLIntegrityConstraintViolationException, SQLState 23000,"
                + " vendor code 1062");
    assertThat(ExceptionText.stackTrace(wrapper))
        .startsWith("java.lang.IllegalStateException: caused by ")
        .contains("\tat io.redwing.agent.errors.ExceptionTextTest")
        .doesNotContain("S3cret");
  }

  @Test
  void anExceptionMarkedAsQuotingArgumentsGoesOutAsItsCodeWhereverItIsSeenLater() {
    RuntimeException reply = new RuntimeException("ERR unknown command 'S3cret', with args");
    RuntimeException wrapper = new RuntimeException(reply.getMessage(), reply);
    RuntimeException unmarked = new RuntimeException("ERR unknown command 'S3cret', with args");

    ExceptionText.redactAs(reply, "ERR");

    assertThat(ExceptionText.message(reply)).isEqualTo("ERR");
    assertThat(ExceptionText.message(wrapper))
        .isEqualTo("caused by java.lang.RuntimeException, ERR");
    assertThat(ExceptionText.stackTrace(wrapper)).doesNotContain("S3cret");
    assertThat(ExceptionText.message(unmarked)).contains("S3cret");
  }

  @Test
  void anyOtherExceptionIsScrubbedWithItsCauses() {
    IllegalStateException error =
        new IllegalStateException(
            "login failed", new IOException("POST https://app:hunter2@auth.example/token"));

    assertThat(ExceptionText.message(error)).isEqualTo("login failed");
    assertThat(ExceptionText.stackTrace(error))
        .contains("Caused by: java.io.IOException: POST https://[Filtered]@auth.example/token")
        .doesNotContain("hunter2");
  }

  @Test
  void aSentryEventKeepsTheCodesOfTheExceptionsThatQuoteAStatementAndTheMessagesBelowThem() {
    IllegalStateException wrapper =
        new IllegalStateException(
            "could not execute statement [" + DRIVER_MESSAGE + "]", driverError());
    SentryEvent event = new SentryEvent(wrapper);
    // what the SDK's event processor puts on the event before the before-send hook runs
    event.setExceptions(
        new SentryExceptionFactory(new SentryStackTraceFactory(new SentryOptions()))
            .getSentryExceptions(wrapper));

    ExceptionText.redactStatements(event);

    assertThat(event.getExceptions())
        .extracting(SentryException::getType, SentryException::getValue)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "IllegalStateException",
                "caused by java.sql.SQLIntegrityConstraintViolationException, SQLState 23000,"
                    + " vendor code 1062"),
            org.assertj.core.groups.Tuple.tuple(
                "SQLIntegrityConstraintViolationException", "SQLState 23000, vendor code 1062"),
            org.assertj.core.groups.Tuple.tuple("IOException", "read 42 bytes"));
  }
}
