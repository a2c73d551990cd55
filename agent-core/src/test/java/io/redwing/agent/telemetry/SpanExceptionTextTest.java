package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.HttpClientRequest;
import io.redwing.bootstrap.Operation;
import java.io.IOException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What of an exception's text a span's exception event may carry out of the process. */
class SpanExceptionTextTest {
  private static final AttributeKey<String> MESSAGE = AttributeKey.stringKey("exception.message");
  private static final AttributeKey<String> TRACE = AttributeKey.stringKey("exception.stacktrace");

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = InMemoryTracing.sdk(exporter);
  private final OperationDispatcher dispatcher =
      new OperationDispatcher(new RedMetrics("1.2.3", 2000), sdk, "1.2.3", Set.of(), false);

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  private EventData onlyException() {
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getEvents()).hasSize(1);
    return span.getEvents().get(0);
  }

  @Test
  void aClientErrorLosesTheCredentialsTokensAndAddressesItQuotes() {
    Operation op =
        dispatcher.startHttpClient(
            new HttpClientRequest("test", "GET", "https://api.example.com/v1/files"));
    IOException cause = new IOException("signed by alice@example.com");
    dispatcher.endHttpClient(
        op,
        0,
        new IOException(
            "GET https://u:pw@api.example.com/v1/files?password=hunter2 failed", cause));

    EventData event = onlyException();
    assertThat(event.getAttributes().get(MESSAGE))
        .contains("api.example.com")
        .doesNotContain("u:pw", "hunter2");
    assertThat(event.getAttributes().get(TRACE))
        .contains("java.io.IOException", "Caused by")
        .doesNotContain("u:pw", "hunter2", "alice@example.com");
  }

  @Test
  void aDriversExceptionKeepsItsTypeAndCodesAndNoneOfItsText() {
    Operation op =
        dispatcher.startDbClient(
            DbClientRequest.jdbc(
                null, "INSERT INTO users (email, pin) VALUES (?, ?)", 0, "jdbc:h2:mem:test"));
    dispatcher.endDbClient(
        op,
        new SQLIntegrityConstraintViolationException(
            "Unique index violation: VALUES ( /* 1 */ 'alice@example.com', '9999' )",
            "23505",
            23505));

    EventData event = onlyException();
    assertThat(event.getAttributes().get(MESSAGE)).isEqualTo("SQLState 23505, vendor code 23505");
    assertThat(event.getAttributes().get(TRACE))
        .startsWith("java.sql.SQLIntegrityConstraintViolationException")
        .doesNotContain("alice", "9999");
  }

  @Test
  void aServerErrorWrappingADriversExceptionKeepsOnlyTheCodes() {
    Operation op = dispatcher.startHttpServer(TestRequests.get("/owners", null, null, null));
    java.sql.SQLException driver =
        new SQLIntegrityConstraintViolationException("Key (email)=(alice@example.com)", "23505");
    dispatcher.endHttpServer(
        op,
        500,
        "/owners",
        new IllegalStateException(
            "could not execute statement [insert into owners values ('alice', '9999')]", driver));

    EventData event = onlyException();
    assertThat(event.getAttributes().get(MESSAGE))
        .isEqualTo(
            "caused by java.sql.SQLIntegrityConstraintViolationException, SQLState 23505,"
                + " vendor code 0");
    assertThat(event.getAttributes().get(TRACE))
        .startsWith("java.lang.IllegalStateException")
        .doesNotContain("alice", "9999");
  }
}
