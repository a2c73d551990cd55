package io.redwing.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's scripts are at least well formed: every shell script parses, and the benchmark's
 * single-file Java programs compile. No other test runs the benchmarks, and bash reads a compound
 * command only when it reaches it: a quote out of place in a benchmark's latency branch ran the
 * demos for minutes before the script died.
 */
class ScriptsIT {

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
      String output = new String(bash.getInputStream().readAllBytes(), UTF_8);
      assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(bash.exitValue()).as("bash -n %s: %s", script, output).isZero();
    }
  }

  @Test
  void theBenchmarksJavaProgramsCompile(@TempDir Path classes) throws Exception {
    List<Path> sources;
    try (Stream<Path> files = Files.list(Artifacts.repositoryRoot().resolve("bench"))) {
      sources = files.filter(p -> p.getFileName().toString().endsWith(".java")).sorted().toList();
    }
    assertThat(sources).as("bench/*.java").isNotEmpty();

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    for (Path source : sources) {
      StringWriter errors = new StringWriter();
      try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, UTF_8)) {
        boolean compiled =
            javac
                .getTask(
                    errors,
                    files,
                    null,
                    List.of("-d", classes.toString(), "-proc:none"),
                    null,
                    files.getJavaFileObjects(source))
                .call();
        assertThat(compiled).as("%s: %s", source, errors).isTrue();
      }
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
