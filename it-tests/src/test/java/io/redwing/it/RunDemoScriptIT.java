package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's first command, in its smoke mode on the jars this build made. */
class RunDemoScriptIT {

  @Test
  void runDemoStartsTheDemoWithTheAgentAndShowsTheScrape() {
    int demoPort = FreePort.find();
    int metricsPort = FreePort.find();
    String script = Artifacts.repositoryRoot().resolve("examples/run-demo.sh").toString();

    try (ForkedApp run =
        ForkedApp.builder("run-demo-script")
            .program("bash", script, "--smoke", "--no-build")
            .env("DEMO_PORT", Integer.toString(demoPort))
            .env("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(metricsPort))
            .env("JAVA", Artifacts.java())
            .env("DEMO_LOG", Artifacts.workDirectory("logs").resolve("run-demo.log").toString())
            .start()) {
      int exit = run.awaitExit(Duration.ofMinutes(3));

      assertThat(exit).as(run.output()).isZero();
      assertThat(run.stdout())
          .contains("http://localhost:" + metricsPort + "/metrics")
          .contains("http://localhost:" + metricsPort + "/health")
          .contains("http://localhost:" + demoPort + "/owners/1")
          .contains("redwing_agent_info{");
      Matcher owners =
          Pattern.compile(
                  "^http_server_request_duration_seconds_count\\{[^}]*http_route=\"/owners/\\{id\\}\"[^}]*\\} (\\S+)$",
                  Pattern.MULTILINE)
              .matcher(run.stdout());
      assertThat(owners.find()).as(run.stdout()).isTrue();
      assertThat(Double.parseDouble(owners.group(1))).isEqualTo(11);
      assertThat(Http.status("http://127.0.0.1:" + demoPort + "/hello"))
          .as("the smoke run stops the demo")
          .isEqualTo(-1);
    }
  }
}
