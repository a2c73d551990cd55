package io.redwing.agent.errors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.sentry.SentryEvent;
import io.sentry.SentryExceptionFactory;
import io.sentry.SentryOptions;
import io.sentry.SentryStackTraceFactory;
import io.sentry.protocol.SentryException;
import java.io.IOException;
import java.sql.SQLIntegrityConstraintViolationException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

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

  /**
   * The exceptions the application gets from the real clients for an error reply of the local Redis
   * that quotes the command's argument: Jedis's, and Lettuce's synchronous API's, which wraps the
   * one the command completed with in a new one with the same text.
   */
  @Test
  void aRedisErrorReplyFromEitherClientGoesOutAsItsCode() {
    Throwable jedis;
    try (Jedis client = new Jedis("127.0.0.1", 6379)) {
      jedis =
          catchThrowable(() -> client.sendCommand(() -> "FOOBAR".getBytes(UTF_8), "S3cret-arg"));
    }
    RedisClient lettuce = RedisClient.create("redis://127.0.0.1");
    Throwable sync;
    try (var connection = lettuce.connect()) {
      sync =
          catchThrowable(
              () ->
                  connection
                      .sync()
                      .dispatch(
                          new ProtocolKeyword() {
                            @Override
                            public byte[] getBytes() {
                              return "FOOBAR".getBytes(UTF_8);
                            }

                            @Override
                            public String name() {
                              return "FOOBAR";
                            }
                          },
                          new StatusOutput<>(StringCodec.UTF8),
                          new CommandArgs<>(StringCodec.UTF8).add("S3cret-arg")));
    } finally {
      lettuce.shutdown();
    }

    assertThat(jedis).hasMessageContaining("S3cret-arg");
    assertThat(ExceptionText.message(jedis)).isEqualTo("ERR");
    assertThat(sync).hasMessageContaining("S3cret-arg").hasCauseInstanceOf(sync.getClass());
    // the wrapper is of the same class, so it is known by its own class first
    assertThat(ExceptionText.message(sync)).isEqualTo("ERR");
    assertThat(ExceptionText.stackTrace(jedis) + ExceptionText.stackTrace(sync))
        .doesNotContain("S3cret");
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
            tuple(
                "IllegalStateException",
                "caused by java.sql.SQLIntegrityConstraintViolationException, SQLState 23000,"
                    + " vendor code 1062"),
            tuple("SQLIntegrityConstraintViolationException", "SQLState 23000, vendor code 1062"),
            tuple("IOException", "read 42 bytes"));
  }
}
