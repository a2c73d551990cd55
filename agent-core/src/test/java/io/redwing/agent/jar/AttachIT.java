package io.redwing.agent.jar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

class AttachIT {
  private static final String JAR = System.getProperty("redwing.agent.jar");
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private static Process start(BlockingQueue<String> lines, String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (java.io.IOException ignored) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    return process;
  }

  private static List<String> cli(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> result = new ArrayList<>(output.lines().toList());
    result.add("exit=" + process.exitValue());
    return result;
  }

  /**
   * Waits until every expected text was seen, in any order (the agent logs on its own thread);
   * returns the lines seen.
   */
  private static List<String> awaitLines(BlockingQueue<String> lines, String... expected)
      throws Exception {
    List<String> seen = new ArrayList<>();
    List<String> missing = new ArrayList<>(List.of(expected));
    while (!missing.isEmpty()) {
      String line = lines.poll(60, TimeUnit.SECONDS);
      assertThat(line).as("waiting for %s, seen %s", missing, seen).isNotNull();
      seen.add(line);
      missing.removeIf(line::contains);
    }
    return seen;
  }

  /** The attached agent's {@code /metrics}, at the port its start-up line names. */
  private static String scrape(List<String> agentLines) throws Exception {
    int port =
        agentLines.stream()
            .map(SmokeApp.METRICS_ON::matcher)
            .filter(Matcher::find)
            .mapToInt(m -> Integer.parseInt(m.group(1)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no metrics line in " + agentLines));
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void attachingLoadsTheAgentOnceAndASecondAttachChangesNothing() throws Exception {
    BlockingQueue<String> app = new LinkedBlockingQueue<>();
    Process target =
        start(
            app,
            JAVA,
            "-cp",
            System.getProperty("java.class.path"),
            SmokeApp.class.getName(),
            "4bf92f3577b34da6a3ce929d0e0e4736");
    try {
      String pid = Long.toString(target.pid());
      assertThat(cli("list")).anyMatch(line -> line.startsWith(pid + "\t"));

      List<String> first =
          cli(
              "attach",
              pid,
              "OTEL_EXPORTER_PROMETHEUS_PORT=0",
              "OTEL_EXPORTER_PROMETHEUS_HOST=127.0.0.1",
              "otel.traces.exporter=none");
      assertThat(first).last().isEqualTo("exit=0");
      assertThat(first).anyMatch(line -> line.startsWith("attached Redwing "));
      if (Runtime.version().feature() >= 21) {
        assertThat(first).anyMatch(line -> line.contains("-XX:+EnableDynamicAgentLoading"));
      }
      List<String> lines = awaitLines(app, "attached in", "smoke request recorded");
      // the app's own line says only that its call returned: the agent's endpoint shows it counted
      assertThat(scrape(lines)).contains(SmokeApp.RECORDED_SERIES);

      List<String> second = cli("attach", pid);
      assertThat(second).last().isEqualTo("exit=0");
      assertThat(second)
          .anyMatch(
              line ->
                  line.matches(
                      "JVM " + pid + " is already attached \\(version .+\\); nothing changed"));
    } finally {
      target.destroyForcibly().waitFor();
    }
  }

  @Test
  void aJvmThatRefusesAttachGivesOneMessageAndANonZeroExit() throws Exception {
    BlockingQueue<String> app = new LinkedBlockingQueue<>();
    Process target =
        start(
            app,
            JAVA,
            "-XX:+DisableAttachMechanism",
            "-cp",
            System.getProperty("java.class.path"),
            SmokeApp.class.getName(),
            "4bf92f3577b34da6a3ce929d0e0e4736");
    try {
      List<String> result = cli("attach", Long.toString(target.pid()));
      assertThat(result).last().isEqualTo("exit=1");
      assertThat(result.get(0)).startsWith("cannot attach to JVM " + target.pid());
      assertThat(target.isAlive()).isTrue();
    } finally {
      target.destroyForcibly().waitFor();
    }
  }
}
