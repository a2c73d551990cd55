package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Attaching the agent to a demo that started without it and has already served requests. */
class AttachIT {

  private static final String COUNT = "http_server_request_duration_seconds_count";
  private static final Map<String, String> OWNERS_ROUTE = Map.of("http_route", "/owners/{id}");
  private static final int BEFORE_ATTACH = 3;
  private static final int AFTER_ATTACH = 4;
  private static final Duration CLI = Duration.ofSeconds(60);

  /** The query that tags the requests made after the attach, so their spans can be told apart. */
  private static final String AFTER_QUERY = "phase=after-attach";

  private static OtlpReceiver otlp;
  private static Demo demo;
  private static CliRun firstAttach;

  record CliRun(int exitCode, String output) {}

  @BeforeAll
  static void startDemoServeRequestsAndAttach() {
    otlp = OtlpReceiver.start();
    // The attached agent reads the application's environment: its spans go to the receiver.
    demo =
        Demo.withoutAgent(
            "attach-it-demo",
            Map.of(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(),
                "OTEL_BSP_SCHEDULE_DELAY", "100"));
    for (int id = 1; id <= BEFORE_ATTACH; id++) {
      demo.getOk(
          "/owners/" + id + "?phase=before-attach",
          "{\"id\":" + id + ",\"name\":\"Owner " + id + "\"}");
    }
    assertThat(Http.status(demo.agentUrl("/ready"))).as("no agent yet").isEqualTo(-1);

    firstAttach = cli("attach", Long.toString(demo.app.pid()));
    System.out.println("[it] AttachIT: attached: " + firstAttach);
    demo.awaitReady();
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
    if (otlp != null) {
      otlp.close();
    }
  }

  /**
   * The evidence is what the attached agent exports: its own scrape and the spans it sends to a
   * real OTLP receiver, for requests made after the attach. Nothing the application prints counts.
   */
  @Test
  void countsOnlyTheRequestsServedAfterTheAttach() {
    assertThat(firstAttach.exitCode()).as(firstAttach.output()).isZero();

    for (int id = 1; id <= AFTER_ATTACH; id++) {
      demo.getOk(
          "/owners/" + id + "?" + AFTER_QUERY, "{\"id\":" + id + ",\"name\":\"Owner " + id + "\"}");
    }

    Scrape scrape =
        Await.value(
            AFTER_ATTACH + " requests recorded",
            Await.EXPORT,
            () -> {
              Scrape s = demo.scrape();
              return s.valueOrZero(COUNT, OWNERS_ROUTE) >= AFTER_ATTACH ? s : null;
            });
    assertThat(scrape.value(COUNT, OWNERS_ROUTE)).isEqualTo(AFTER_ATTACH);

    List<OtlpReceiver.ReceivedSpan> served =
        otlp.awaitSpans(
            "server spans of the requests made after the attach",
            AFTER_ATTACH,
            span -> AFTER_QUERY.equals(span.attribute("url.query")));
    assertThat(served)
        .extracting(span -> span.attribute("url.path"))
        .containsExactlyInAnyOrder("/owners/1", "/owners/2", "/owners/3", "/owners/4");
    assertThat(served)
        .allSatisfy(
            span -> {
              assertThat(span.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
              assertThat(span.attribute("http.route")).isEqualTo("/owners/{id}");
            });
  }

  @Test
  void mentionsEnableDynamicAgentLoadingOnlyWhereTheJvmWarns() {
    // JDK 21 and newer warn when an agent is loaded dynamically (JEP 451).
    boolean warns = Artifacts.javaFeatureVersion() >= 21;

    assertThat(firstAttach.output().contains("-XX:+EnableDynamicAgentLoading"))
        .as(firstAttach.output())
        .isEqualTo(warns);
  }

  @Test
  void attachingAgainSaysAlreadyAttachedAndSucceeds() {
    CliRun again = cli("attach", Long.toString(demo.app.pid()));

    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output()).containsIgnoringCase("already attached");
    assertThat(Http.status(demo.agentUrl("/ready"))).isEqualTo(200);
  }

  @Test
  void attachingToAMissingProcessFailsWithAClearMessage() {
    long missing = missingPid();

    CliRun run = cli("attach", Long.toString(missing));

    // 3 is the CLI's documented exit code for "no process with that pid".
    assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
    assertThat(run.output()).contains("no process with pid " + missing);
  }

  @Test
  void listShowsTheRunningDemo() {
    CliRun list = cli("list");

    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.output().lines())
        .anySatisfy(line -> assertThat(line).containsPattern("^\\s*" + demo.app.pid() + "\\b"));
  }

  static CliRun cli(String... args) {
    ForkedApp.Builder builder = ForkedApp.builder("agent-cli-" + args[0]);
    builder.jar(Artifacts.agentJar());
    for (String arg : args) {
      builder.arg(arg);
    }
    try (ForkedApp run = builder.start()) {
      int exit = run.awaitExit(CLI);
      return new CliRun(exit, run.output());
    }
  }

  /** A pid no process has: above every live pid and not alive itself. */
  private static long missingPid() {
    long candidate =
        ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1000) + 1000;
    while (ProcessHandle.of(candidate).isPresent()) {
      candidate++;
    }
    return candidate;
  }
}
