package io.redwing.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedwingCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final RedwingCli cli =
      new RedwingCli(
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsUsageWithExitCodes() {
    assertThat(cli.run(new String[] {"help"})).isEqualTo(RedwingCli.OK);
    assertThat(out()).contains("attach <pid> [key=value ...]").contains("Exit codes:");
  }

  @Test
  void noArgumentsOrAnUnknownCommandIsAUsageError() {
    assertThat(cli.run(new String[0])).isEqualTo(RedwingCli.USAGE);
    assertThat(cli.run(new String[] {"fly"})).isEqualTo(RedwingCli.USAGE);
    assertThat(err()).contains("Usage:").contains("unknown command \"fly\"");
  }

  @Test
  void attachNeedsANumericPid() {
    assertThat(cli.run(new String[] {"attach"})).isEqualTo(RedwingCli.USAGE);
    assertThat(cli.run(new String[] {"attach", "abc"})).isEqualTo(RedwingCli.USAGE);
    assertThat(err()).contains("attach needs a pid").contains("\"abc\" is not a pid");
  }

  @Test
  void aMissingProcessIsOneMessage() {
    assertThat(cli.run(new String[] {"attach", "999999999"})).isEqualTo(RedwingCli.NO_SUCH_PROCESS);
    assertThat(err())
        .isEqualTo("no process with pid 999999999 (see: list)" + System.lineSeparator());
  }

  @Test
  void aProcessThatIsNoJvmIsRefusedAndLeftAlive() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      assertThat(cli.run(new String[] {"attach", Long.toString(sleeper.pid())}))
          .isEqualTo(RedwingCli.ATTACH_FAILED);
      assertThat(err())
          .contains("process " + sleeper.pid())
          .contains("is not a Java virtual machine");
      assertThat(sleeper.isAlive()).isTrue();
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  @Test
  void theJdkFeatureVersionIsReadFromBothSchemes() {
    assertThat(RedwingCli.featureVersion("1.8")).isEqualTo(8);
    assertThat(RedwingCli.featureVersion("21")).isEqualTo(21);
    assertThat(RedwingCli.featureVersion("")).isZero();
  }
}
