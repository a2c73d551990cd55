package io.redwing.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.agent.config.ConfigSources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveSettingTest {

  @Test
  void anInstrumentationSwitchIsLiveInEitherSpelling() {
    LiveSetting property =
        LiveSetting.parse("redwing.instrumentation.servlet-jakarta.enabled=FALSE");
    LiveSetting env = LiveSetting.parse("REDWING_INSTRUMENTATION_SERVLET_JAKARTA_ENABLED=false");

    assertThat(property.accepted()).isTrue();
    assertThat(property.kind()).isEqualTo(LiveSetting.Kind.INSTRUMENTATION);
    assertThat(property.value()).isEqualTo("false");
    assertThat(property.instrumentation()).isEqualTo("servlet.jakarta");
    assertThat(env.instrumentation()).isEqualTo("servlet.jakarta");
    assertThat(env.key()).isEqualTo(property.key());
  }

  @Test
  void theSamplerRatioLogLevelAndMethodListAreLive() {
    assertThat(LiveSetting.parse("OTEL_TRACES_SAMPLER_ARG=0").kind())
        .isEqualTo(LiveSetting.Kind.SAMPLER_RATIO);
    assertThat(LiveSetting.parse("otel.traces.sampler.arg=0.25").value()).isEqualTo("0.25");
    assertThat(LiveSetting.parse("redwing.log.level=DEBUG").value()).isEqualTo("debug");
    assertThat(LiveSetting.parse("otel.instrumentation.methods.include=a.B[c]").kind())
        .isEqualTo(LiveSetting.Kind.METHODS_INCLUDE);
  }

  @Test
  void otherKeysAreNotChangeableLive() {
    LiveSetting port = LiveSetting.parse("OTEL_EXPORTER_PROMETHEUS_PORT=9999");

    assertThat(port.accepted()).isFalse();
    assertThat(port.problem()).contains("not changeable live").contains("restart");
  }

  @Test
  void badValuesAreRefusedWithWhatWasExpected() {
    assertThat(LiveSetting.parse("otel.traces.sampler.arg=1.5").problem())
        .contains("between 0 and 1");
    assertThat(LiveSetting.parse("otel.traces.sampler.arg=half").problem())
        .contains("between 0 and 1");
    assertThat(LiveSetting.parse("redwing.log.level=loud").problem()).contains("debug");
    assertThat(LiveSetting.parse("redwing.instrumentation.jdbc.enabled=maybe").problem())
        .contains("true or false");
    assertThat(LiveSetting.parse("no-equals-sign").problem()).contains("key=value");
  }

  @Test
  void theFailureThresholdComesFromTheConfigurationWithTenForMissingOrBadValues() {
    assertThat(
            LiveInstrumentation.threshold(
                sources(Map.of("REDWING_INSTRUMENTATION_FAILURE_THRESHOLD", "3"))))
        .isEqualTo(3);
    assertThat(LiveInstrumentation.threshold(sources(Map.of()))).isEqualTo(10);
    assertThat(
            LiveInstrumentation.threshold(
                sources(Map.of("REDWING_INSTRUMENTATION_FAILURE_THRESHOLD", "0"))))
        .isEqualTo(10);
  }

  private static ConfigSources sources(Map<String, String> environment) {
    return ConfigSources.merge(null, Map.of(), environment, problem -> {});
  }
}
