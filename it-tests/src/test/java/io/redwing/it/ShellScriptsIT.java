package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shell script in the repository parses. Bash reads a compound command only when it reaches
 * it, so a quote out of place in a benchmark's latency branch ran the demos for minutes before the
 * script died; no other test runs the benchmarks.
 */
class ShellScriptsIT {

  @Test
  void everyScriptParses() throws Exception {
    List<Path> scripts = scripts(Artifacts.repositoryRoot());
    assertThat(scripts)
        .as("the scripts found")
        .anyMatch(p -> p.endsWith(Path.of("bench", "sidebyside.sh")))
        .anyMatch(p -> p.endsWith(Path.of(".ci", "run")));

    for (Path script : scripts) {
      Process bash =
          new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
      String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(bash.exitValue()).as("bash -n %s: %s", script, output).isZero();
    }
  }

  /** Files named {@code *.sh}, and {@code .ci/run}, outside build output. */
  private static List<Path> scripts(Path root) throws IOException {
    List<Path> scripts = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(Files::isRegularFile)
          .filter(
              p -> !root.relativize(p).toString().matches("(.*/)?(target|\\.git|node_modules)/.*"))
          .filter(
              p -> p.getFileName().toString().endsWith(".sh") || p.endsWith(Path.of(".ci", "run")))
          .forEach(scripts::add);
    }
    return scripts;
  }
}
