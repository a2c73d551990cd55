package io.redwing.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentLogTest {
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream previous;

  @BeforeEach
  void capture() {
    previous = AgentLog.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
    AgentLog.setLevel(AgentLog.Level.INFO);
  }

  @AfterEach
  void restore() {
    AgentLog.setJson(false);
    AgentLog.redirect(previous);
    AgentLog.setLevel(AgentLog.Level.INFO);
  }

  private java.util.List<String> lines() {
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void linesArePrefixedAndFilteredByLevel() {
    AgentLog.info("hello");
    AgentLog.debug("hidden");
    AgentLog.setLevel(AgentLog.Level.ERROR);
    AgentLog.warn("also hidden");
    AgentLog.error("broken", new IllegalStateException("why"));

    assertThat(lines())
        .containsExactly(
            "[redwing] hello", "[redwing] broken: java.lang.IllegalStateException: why");
  }

  @Test
  void aWrapperWithoutAMessageIsLoggedWithWhatItWraps() {
    AgentLog.error(
        "start-up failed",
        new ExceptionInInitializerError(
            new IllegalArgumentException("io_prometheus_x: Unknown property")));
    AgentLog.error(
        "export failed", new IllegalStateException("said", new RuntimeException("not repeated")));
    AgentLog.setJson(true);
    AgentLog.error("start-up failed", new ExceptionInInitializerError(new IllegalStateException()));

    java.util.List<String> lines = lines();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .isEqualTo(
            "[redwing] start-up failed: java.lang.ExceptionInInitializerError (caused by"
                + " java.lang.IllegalArgumentException: io_prometheus_x: Unknown property)");
    assertThat(lines.get(1))
        .isEqualTo("[redwing] export failed: java.lang.IllegalStateException: said");
    assertThat(lines.get(2))
        .contains("\"error.type\":\"java.lang.ExceptionInInitializerError\"")
        .contains("\"error.cause\":\"java.lang.IllegalStateException\"");
  }

  @Test
  void aRepeatedWarningIsOneLine() {
    for (int i = 0; i < 5; i++) {
      AgentLog.warnOnce("agent-log-test-key", "collector down");
    }
    assertThat(lines()).containsExactly("[redwing] collector down");
  }

  @Test
  void levelsParseInAnyCase() {
    assertThat(AgentLog.parseLevel("DEBUG")).isEqualTo(AgentLog.Level.DEBUG);
    assertThat(AgentLog.parseLevel("Warn")).isEqualTo(AgentLog.Level.WARN);
    assertThat(AgentLog.parseLevel("verbose")).isNull();
  }

  @Test
  void libraryWarningsBecomeOneAgentLineWithTheRootCause() {
    LibraryLogBridge.install("agent.log.test.library");
    Logger library = Logger.getLogger("agent.log.test.library.exporter");
    for (int i = 0; i < 3; i++) {
      library.log(
          Level.SEVERE,
          "Could not read the response. Attempt " + i,
          new RuntimeException(new java.io.EOFException("truncated")));
    }
    library.info("chatter");

    assertThat(lines())
        .containsExactly(
            "[redwing] Could not read the response. Attempt 0 (java.io.EOFException: truncated)"
                + " [repeats are not logged; see the redwing_* metrics]");
  }

  @Test
  void anExportFailureNamesWhereItWasSentAndWhatWentWrongOnce() {
    LibraryLogBridge.install("agent.log.test.export");
    LibraryLogBridge.exportsTo(Map.of("span", "http://collector:4318/v1/traces"));
    Logger library = Logger.getLogger("agent.log.test.export.exporter");
    for (int i = 0; i < 3; i++) {
      library.log(
          Level.SEVERE,
          "Failed to export spans. The request could not be executed.",
          new RuntimeException(
              new java.net.ConnectException()
                  .initCause(new java.nio.channels.ClosedChannelException())));
    }

    assertThat(lines())
        .containsExactly(
            "[redwing] spans could not be exported to http://collector:4318/v1/traces: the"
                + " connection was refused (java.net.ConnectException)"
                + " [repeats are not logged; see the redwing_* metrics]");
  }

  @Test
  void aLibraryWarningQuotingAUrlWithCredentialsShowsThemMasked() {
    LibraryLogBridge.install("agent.log.test.urls");
    LibraryLogBridge.exportsTo(Map.of("span", "https://otlp:Zq/9@Kx@collector:4318/v1/traces"));
    Logger library = Logger.getLogger("agent.log.test.urls.exporter");
    library.log(
        Level.WARNING,
        "Failed to export spans. Endpoint https://otlp:Zq/9@Kx@collector:4318/v1/traces",
        new IllegalStateException("cannot reach http://otlp:Zq/9@Kx@collector:4318"));
    library.log(
        Level.WARNING,
        "Refused by https://otlp:Zq/9@Kx@collector:4318/v1/traces",
        new IllegalStateException("cannot reach http://otlp:Zq/9@Kx@collector:4318"));

    assertThat(lines())
        .containsExactly(
            "[redwing] spans could not be exported to https://****@collector:4318/v1/traces:"
                + " java.lang.IllegalStateException: cannot reach http://****@collector:4318"
                + " [repeats are not logged; see the redwing_* metrics]",
            "[redwing] Refused by https://****@collector:4318/v1/traces"
                + " (java.lang.IllegalStateException: cannot reach http://****@collector:4318)"
                + " [repeats are not logged; see the redwing_* metrics]");
  }

  @Test
  void jsonLinesAreOneObjectEachWithTheErrorsClassAndMessage() {
    AgentLog.setJson(true);
    AgentLog.warn("cannot reach \"collector\"\nretrying", new IllegalStateException("refused"));
    AgentLog.info("started");
    AgentLog.debug("hidden");

    assertThat(lines())
        .satisfiesExactly(
            line ->
                assertThat(line)
                    .matches(
                        "\\{\"timestamp\":\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\",\"level\":\"WARN\","
                            + "\"logger\":\"redwing\","
                            + "\"message\":\"cannot reach \\\\\"collector\\\\\"\\\\nretrying\","
                            + "\"error.type\":\"java.lang.IllegalStateException\","
                            + "\"error.message\":\"refused\"\\}"),
            line ->
                assertThat(line)
                    .matches(
                        "\\{\"timestamp\":\"[^\"]+\",\"level\":\"INFO\",\"logger\":\"redwing\","
                            + "\"message\":\"started\"\\}"));
  }
}
