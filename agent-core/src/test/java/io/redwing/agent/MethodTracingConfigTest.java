package io.redwing.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.config.RedwingConfig;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MethodTracingConfigTest {

  private static List<String> namesFor(Map<String, String> environment) {
    RedwingConfig config =
        RedwingConfig.from(ConfigSources.merge(null, Map.of(), environment, p -> {}), p -> {});
    return AgentComponents.enabledInstrumentations(config).stream()
        .map(TypeInstrumentation::name)
        .toList();
  }

  @Test
  void theIncludeListAddsTheMethodsInstrumentationBuiltFromIt() {
    assertThat(namesFor(Map.of())).doesNotContain("methods");
    assertThat(namesFor(Map.of("OTEL_INSTRUMENTATION_METHODS_INCLUDE", "com.acme.A[run]")))
        .containsOnlyOnce("methods");
  }

  @Test
  void itsSwitchTurnsItOff() {
    assertThat(
            namesFor(
                Map.of(
                    "OTEL_INSTRUMENTATION_METHODS_INCLUDE", "com.acme.A[run]",
                    "REDWING_INSTRUMENTATION_METHODS_ENABLED", "false",
                    "REDWING_INSTRUMENTATION_OPENTELEMETRY_INSTRUMENTATION_ANNOTATIONS_ENABLED",
                        "false")))
        .doesNotContain("methods", "opentelemetry-instrumentation-annotations")
        .contains("jdbc");
  }
}
