package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Errors of the forked demo reach a real Sentry envelope receiver, scrubbed, without cost. */
class SentryIT {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String PARENT_ID = "b7ad6b7169203331";
  private static final String EXCEPTIONS = "redwing_exceptions_total";

  /** Secrets a request carries in its query, headers and cookies; none may reach Sentry. */
  private static final List<String> SECRETS =
      List.of(
          "hunter2",
          "tok-4f1c9e",
          "bob@example.com",
          "bob%40example.com",
          "4111111111111111",
          "eyJhbGciOiJIUzI1NiJ9",
          "JSESSIONID-77aa",
          "apikey-5d2e",
          "pin-58d2a0",
          "otp-93c1e7");

  /** The client's address as a proxy forwards it: the user, which events never carry. */
  private static final String CLIENT_ADDRESS = "203.0.113.9";

  /** The agent's one line for a Sentry that does not take the events. */
  private static final String NOT_DELIVERED = "errors could not be delivered to Sentry at";

  private static Map<String, String> sentry(String dsn) {
    return Map.of(
        "SENTRY_DSN", dsn,
        "SENTRY_ENVIRONMENT", "it",
        "SENTRY_RELEASE", "demo@1.0",
        "OTEL_SERVICE_NAME", "redwing-demo");
  }

  /** The extra scrub keys and header are scrubbed besides the defaults, which still are. */
  @Test
  void anUnhandledExceptionBecomesOneScrubbedEventLinkedToItsTrace() {
    try (SentryReceiver receiver = SentryReceiver.start();
        Demo demo =
            Demo.withAgent(
                "sentry-event",
                with(
                    sentry(receiver.dsn()),
                    Map.of(
                        "REDWING_SENTRY_SCRUB_KEYS", "pin,otp",
                        "REDWING_SENTRY_SCRUB_HEADERS", "user-agent")))) {
      int status =
          demo.get(
                  "/error?password=hunter2&token=tok-4f1c9e&email=bob%40example.com"
                      + "&card=4111111111111111&pin=pin-58d2a0&otp=otp-93c1e7&page=2",
                  "Authorization",
                  "Bearer eyJhbGciOiJIUzI1NiJ9.payload",
                  "Cookie",
                  "JSESSIONID=JSESSIONID-77aa",
                  "X-Api-Key",
                  "apikey-5d2e",
                  "X-Request-ID",
                  "req-sentry-1",
                  "X-Tenant",
                  "acme",
                  "X-Forwarded-For",
                  CLIENT_ADDRESS,
                  "traceparent",
                  "00-" + TRACE_ID + "-" + PARENT_ID + "-01")
              .statusCode();
      assertThat(status).isEqualTo(500);

      JsonNode event = receiver.awaitEvent("GET /error");
      assertThat(demo.app.stderrLinesContaining(NOT_DELIVERED)).isEmpty();
      JsonNode exception = event.path("exception").path("values").get(0);
      assertThat(exception.path("type").asText()).isEqualTo("IllegalStateException");
      assertThat(exception.path("module").asText()).isEqualTo("java.lang");
      assertThat(exception.path("value").asText()).isEqualTo("demo failure");
      assertThat(exception.path("stacktrace").path("frames").size()).isPositive();
      assertThat(event.path("level").asText()).isEqualTo("error");
      assertThat(event.path("environment").asText()).isEqualTo("it");
      assertThat(event.path("release").asText()).isEqualTo("demo@1.0");
      assertThat(event.path("transaction").asText()).isEqualTo("GET /error");
      JsonNode tags = event.path("tags");
      assertThat(tags.path("http.route").asText()).isEqualTo("/error");
      assertThat(tags.path("http.request.method").asText()).isEqualTo("GET");
      assertThat(tags.path("http.response.status_code").asText()).isEqualTo("500");
      assertThat(tags.path("request_id").asText()).isEqualTo("req-sentry-1");
      assertThat(tags.path("trace_id").asText()).isEqualTo(TRACE_ID);
      assertThat(tags.path("service.name").asText()).isEqualTo("redwing-demo");
      JsonNode trace = event.path("contexts").path("trace");
      assertThat(trace.path("trace_id").asText()).isEqualTo(TRACE_ID);
      assertThat(trace.path("span_id").asText())
          .hasSize(16)
          .isEqualTo(tags.path("span_id").asText());
      assertThat(trace.path("op").asText()).isEqualTo("http.server");
      JsonNode request = event.path("request");
      assertThat(request.path("method").asText()).isEqualTo("GET");
      assertThat(request.path("url").asText()).isEqualTo(demo.url("/error"));
      assertThat(request.path("query_string").asText())
          .isEqualTo(
              "password=[Filtered]&token=[Filtered]&email=[Filtered]&card=[Filtered]"
                  + "&pin=[Filtered]&otp=[Filtered]&page=2");
      JsonNode headers = request.path("headers");
      assertThat(header(headers, "X-Request-ID")).isEqualTo("req-sentry-1");
      assertThat(header(headers, "X-Tenant")).isEqualTo("acme");
      // User-Agent is named to be scrubbed; the others are by default
      for (String name :
          List.of("User-Agent", "Authorization", "Cookie", "X-Api-Key", "X-Forwarded-For")) {
        assertThat(header(headers, name)).as(name).isEqualTo("[Filtered]");
      }
      assertThat(event.path("contexts").path("redwing").path("request_id").asText())
          .isEqualTo("req-sentry-1");

      String received = receiver.allBodies();
      for (String secret : SECRETS) {
        assertThat(received).as("the envelopes sent").doesNotContain(secret);
      }
      assertThat(received).as("the user's address").doesNotContain(CLIENT_ADDRESS);
      awaitExceptions(demo, 1.0);
      Scrape scrape = demo.scrape();
      assertThat(scrape.samples(EXCEPTIONS))
          .as("the handler's exception, not the framework's ServletException around it")
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s.labels())
                      .containsEntry("exception_type", "java.lang.IllegalStateException"));
      assertThat(scrape.samples("http_client_request_duration_seconds_count"))
          .as("the agent's own envelopes to Sentry are not the application's outbound calls")
          .isEmpty();
    }
  }

  /**
   * A client that leaves in the middle of a download makes the container's next write throw
   * (Tomcat's ClientAbortException), which ends the request: its metrics and span have the failure,
   * but it is no Sentry event, since nothing in the application failed. An error of the application
   * right after is one as usual.
   */
  @Test
  void aClientThatLeavesMidResponseIsNoEvent() throws Exception {
    try (SentryReceiver receiver = SentryReceiver.start();
        Demo demo = Demo.withAgent("sentry-client-left", sentry(receiver.dsn()))) {
      try (Socket client = new Socket("127.0.0.1", demo.port)) {
        client
            .getOutputStream()
            .write(
                "GET /download?kb=65536 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        InputStream in = client.getInputStream();
        byte[] first = in.readNBytes(16 * 1024);
        assertThat(new String(first, 0, 12, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        // a reset, not an orderly close, so that the server's next write fails at once
        client.setSoLinger(true, 0);
      }
      awaitExceptions(demo, "/download", 1.0);
      assertThat(demo.scrape().samples(EXCEPTIONS))
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s.labels())
                      .containsEntry(
                          "exception_type", "org.apache.catalina.connector.ClientAbortException"));

      assertThat(demo.get("/error").statusCode()).isEqualTo(500);
      receiver.awaitEvent("GET /error");
      // the download's event, had there been one, was queued before the error's and sent first
      assertThat(receiver.events())
          .singleElement()
          .satisfies(e -> assertThat(e.path("transaction").asText()).isEqualTo("GET /error"));
    }
  }

  /**
   * The demo's {@code /owners/{id}/register} inserts an id that is taken: H2's exception quotes the
   * key's value and the statement, and the handler wraps it. In the event both carry the driver's
   * codes instead, as on spans; the request's other parts are as usual.
   */
  @Test
  void aDatabaseErrorsEventCarriesTheDriversCodesNotWhatItsMessageQuoted() {
    try (SentryReceiver receiver = SentryReceiver.start();
        Demo demo = Demo.withAgent("sentry-db-error", sentry(receiver.dsn()))) {
      assertThat(demo.get("/owners/1/register").statusCode()).isEqualTo(500);

      JsonNode event = receiver.awaitEvent("GET /owners/{id}/register");
      List<String> exceptions = new ArrayList<>();
      for (JsonNode exception : event.path("exception").path("values")) {
        exceptions.add(exception.path("type").asText() + ": " + exception.path("value").asText());
      }
      assertThat(exceptions)
          .contains(
              "JdbcSQLIntegrityConstraintViolationException: SQLState 23505, vendor code 23505",
              "IllegalStateException: caused by"
                  + " org.h2.jdbc.JdbcSQLIntegrityConstraintViolationException, SQLState 23505,"
                  + " vendor code 23505");
      assertThat(receiver.allBodies())
          .as("the envelopes sent")
          .doesNotContain(
              "PRIMARY KEY ON", "'Owner 1'", "CAST(1 AS BIGINT)", "registration failed");
    }
  }

  @Test
  void aMalformedDsnGivesOneLineAndEverythingElseWorks() {
    try (Demo demo = Demo.withAgent("sentry-bad-dsn", sentry("not a dsn"))) {
      demo.getOk("/hello", "hello from the demo\n");
      assertThat(demo.get("/error").statusCode()).isEqualTo(500);

      assertThat(demo.app.stderrLinesContaining("is not a valid Sentry DSN"))
          .as("stderr:\n%s", demo.app.stderr())
          .hasSize(1);
      awaitExceptions(demo, 1.0);
    }
  }

  /**
   * Whatever the receiver does, requests answer as without Sentry. For the stalled receiver the
   * proof is causal, not timed: every request completes while the first envelope is still held.
   */
  @ParameterizedTest(name = "receiver {0}")
  @ValueSource(strings = {"down", "stalled", "answering 429"})
  void aReceiverThatFailsNeverChangesTheResponses(String fault) {
    try (SentryReceiver receiver = SentryReceiver.start()) {
      String dsn = receiver.dsn();
      switch (fault) {
        case "down" -> dsn = dsn.replace(":" + port(dsn), ":" + FreePort.find());
        case "stalled" -> receiver.stallEachRequest(120_000);
        default -> receiver.answerWith(429);
      }
      try (Demo demo = Demo.withAgent("sentry-" + fault.replace(' ', '-'), sentry(dsn))) {
        assertThat(demo.get("/error").statusCode()).isEqualTo(500);
        if (!fault.equals("down")) {
          Await.until("an envelope sent", Await.EXPORT, () -> receiver.requests() > 0);
        }
        for (int i = 0; i < 5; i++) {
          assertThat(demo.get("/error").statusCode()).isEqualTo(500);
          demo.getOk("/hello", "hello from the demo\n");
        }
        assertThat(receiver.events()).isEmpty();
        awaitExceptions(demo, 6.0);
        // the sender's several errors per envelope, for six envelopes, are one line
        Await.until(
            "a line saying Sentry did not take the events",
            Await.EXPORT,
            () -> !demo.app.stderrLinesContaining(NOT_DELIVERED).isEmpty());
        assertThat(demo.app.stderrLinesContaining(NOT_DELIVERED))
            .as("stderr:\n%s", demo.app.stderr())
            .singleElement()
            .asString()
            .contains(fault.equals("down") ? "Connection refused" : "127.0.0.1:" + port(dsn));
      }
    }
  }

  /**
   * With {@code REDWING_SENTRY_EVENTS_PER_MINUTE=2} three different errors are two events; a repeat
   * of the first, identical to one sent in the last minute, is not sent and does not use up the
   * cap. Every one is counted. Stopping the demo flushes the SDK's queue (its shutdown hook), so
   * once it has exited the receiver has every event the agent let through.
   */
  @Test
  void theEventsPerMinuteCapAndTheRepeatRuleLimitTheEventsSent() {
    try (SentryReceiver receiver = SentryReceiver.start()) {
      try (Demo demo =
          Demo.withAgent(
              "sentry-events-per-minute",
              with(sentry(receiver.dsn()), Map.of("REDWING_SENTRY_EVENTS_PER_MINUTE", "2")))) {
        assertThat(demo.get("/error").statusCode()).isEqualTo(500);
        assertThat(demo.get("/error").statusCode()).isEqualTo(500);
        assertThat(demo.get("/owners/1/register").statusCode()).isEqualTo(500);
        Await.until(
            "the first two errors' events", Await.EXPORT, () -> receiver.events().size() >= 2);
        // a third error, thrown elsewhere: an illegal character for URI.create
        assertThat(demo.get("/outbound?to=/a%20b").statusCode()).isEqualTo(500);

        awaitExceptions(demo, "/error", 2.0);
        awaitExceptions(demo, "/owners/{id}/register", 1.0);
        awaitExceptions(demo, "/outbound", 1.0);
        demo.app.terminate(Duration.ofSeconds(10));
      }
      assertThat(receiver.events())
          .extracting(event -> event.path("transaction").asText())
          .containsExactlyInAnyOrder("GET /error", "GET /owners/{id}/register");
    }
  }

  private static Map<String, String> with(Map<String, String> env, Map<String, String> more) {
    Map<String, String> all = new HashMap<>(env);
    all.putAll(more);
    return all;
  }

  private static void awaitExceptions(Demo demo, double count) {
    awaitExceptions(demo, "/error", count);
  }

  private static void awaitExceptions(Demo demo, String route, double count) {
    Await.until(
        EXCEPTIONS + "{http_route=" + route + "} == " + count,
        Await.EXPORT,
        () -> demo.scrape().valueOrZero(EXCEPTIONS, Map.of("http_route", route)) == count);
  }

  private static String port(String dsn) {
    String afterHost = dsn.substring(dsn.indexOf("127.0.0.1:") + "127.0.0.1:".length());
    return afterHost.substring(0, afterHost.indexOf('/'));
  }

  /** A request header of the event by its name, whatever case the container handed it in. */
  private static String header(JsonNode headers, String name) {
    for (Map.Entry<String, JsonNode> e : headers.properties()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue().asText();
      }
    }
    return null;
  }
}
