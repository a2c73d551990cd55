package io.redwing.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.config.RedwingConfig;
import io.redwing.agent.endpoint.AgentStatus;
import io.redwing.agent.log.AgentLog;
import io.redwing.agent.telemetry.OperationDispatcher;
import io.redwing.agent.telemetry.RedMetrics;
import io.redwing.bootstrap.Operations;
import io.redwing.instrumentation.api.Installer;
import io.redwing.instrumentation.api.TypeInstrumentation;
import io.redwing.livetarget.Greeter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LiveInstrumentationTest {
  private static final int THRESHOLD = 3;

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final AgentStatus status = new AgentStatus("test");
  private final Greeter greeter = new Greeter(); // loaded before the install: retransformed
  private PrintStream previousLog;
  private LiveInstrumentation live;

  @BeforeEach
  void install() {
    previousLog = AgentLog.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
    Instrumentation instrumentation = ByteBuddyAgent.install();
    List<TypeInstrumentation> all =
        List.of(
            new TestInstrumentations.Throwing(),
            new TestInstrumentations.Shouting(),
            new TestInstrumentations.Nowhere());
    live =
        new LiveInstrumentation(
            instrumentation,
            () -> List.of("throwing-test", "shouting-test", "nowhere-test", "idle-test"),
            config -> all,
            status,
            new NoEvents(),
            THRESHOLD);
    OperationDispatcher dispatcher =
        new OperationDispatcher(
            new RedMetrics("test", 100), OpenTelemetry.noop(), "test", Set.of(), false);
    dispatcher.onAdviceFailure(live::adviceFailed);
    Operations.install(dispatcher);
    live.install(
        RedwingConfig.from(ConfigSources.merge(null, Map.of(), Map.of(), p -> {}), p -> {}));
  }

  @AfterEach
  void remove() {
    live.close();
    Operations.uninstall();
    AgentLog.redirect(previousLog);
  }

  @Test
  void anInstrumentationWhoseAdviceKeepsFailingSwitchesItselfOffAndTheRestKeepsWorking()
      throws Exception {
    assertThat(greeter.shout()).as("the working instrumentation is installed").isEqualTo("HEY");
    assertThat(live.states())
        .containsEntry("throwing-test", "active")
        .containsEntry("shouting-test", "active");

    for (int i = 0; i < THRESHOLD; i++) {
      assertThat(greeter.greet("ann")).isEqualTo("hello ann");
    }
    live.submit(() -> null).get(); // the switch-off was queued before this: it has run now
    for (int i = 0; i < 5; i++) {
      assertThat(greeter.greet("bob")).isEqualTo("hello bob");
    }

    assertThat(live.failures())
        .as("the advice no longer runs once switched off")
        .containsEntry("throwing-test", THRESHOLD);
    assertThat(live.states().get("throwing-test"))
        .isEqualTo("disabled (its advice failed 3 times (threshold 3))");
    assertThat(live.states()).containsEntry("shouting-test", "active");
    assertThat(status.instrumentations()).containsExactly("shouting-test", "nowhere-test");
    assertThat(status.disabled())
        .containsEntry("throwing-test", "its advice failed 3 times (threshold 3)");
    assertThat(greeter.shout()).isEqualTo("HEY");
    assertThat(log.toString(StandardCharsets.UTF_8).lines())
        .filteredOn(line -> line.contains("switched itself off"))
        .containsExactly(
            "[redwing] instrumentation throwing-test switched itself off: its advice failed 3"
                + " times (the threshold, redwing.instrumentation.failure.threshold); the"
                + " application and the other instrumentations keep working");
  }

  @Test
  void removingEverythingRestoresTheOriginalMethods() {
    assertThat(greeter.shout()).isEqualTo("HEY");

    live.close();

    assertThat(greeter.shout()).isEqualTo("hey");
    assertThat(live.states()).containsEntry("shouting-test", "disabled (detached)");
  }

  @Test
  void anInstrumentationThatMatchedNothingSaysSo() throws Exception {
    live.submit(
            () -> {
              live.reconfigure(live.config());
              return null;
            })
        .get();

    assertThat(live.states())
        .containsEntry("shouting-test", "active")
        .containsEntry("nowhere-test", "never matched");
    assertThat(live.knownName("shouting.test")).isEqualTo("shouting-test");
    assertThat(live.knownName("nothing")).isNull();
  }

  @Test
  void aSwitchedOnInstrumentationGivenNothingToInstrumentIsIdleNotDisabled() {
    // like method tracing with no otel.instrumentation.methods.include
    assertThat(live.states())
        .containsEntry("idle-test", "idle (the configuration lists nothing for it)");
    assertThat(status.disabled()).doesNotContainKey("idle-test");
  }

  private static final class NoEvents implements Installer.Events {
    @Override
    public void transformed(String instrumentation, String typeName) {}

    @Override
    public void failed(String typeName, Throwable error) {}
  }
}
