package io.redwing.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.log.AgentLogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SentrySettingsTest {
  private static final String DSN = "https://key@sentry.example/1";
  private final List<String> problems = new ArrayList<>();

  private SentrySettings settings(Map<String, String> env) {
    return SentrySettings.from(
        ConfigSources.merge(null, Map.of(), env, problems::add), problems::add);
  }

  @Test
  void aBadBooleanIsOneLineAndTheDefault() {
    SentrySettings settings =
        settings(Map.of("SENTRY_DSN", DSN, "REDWING_SENTRY_ENABLED", "nope", "SENTRY_DEBUG", "1"));

    assertThat(settings.enabled()).isTrue();
    assertThat(settings.debug).isFalse();
    assertThat(problems)
        .containsExactlyInAnyOrder(
            "REDWING_SENTRY_ENABLED=\"nope\" is not a boolean (true, false); using true",
            "SENTRY_DEBUG=\"1\" is not a boolean (true, false); using false");
  }

  @Test
  void switchedOffInAnyCaseSendsNothing() {
    SentrySettings settings =
        settings(
            Map.of("SENTRY_DSN", DSN, "REDWING_SENTRY_ENABLED", "FALSE", "SENTRY_DEBUG", "True"));

    assertThat(settings.enabled()).isFalse();
    assertThat(settings.debug).isTrue();
    assertThat(problems).isEmpty();
  }

  @Test
  void aMalformedDsnIsOneLineThatNeverShowsItsKey() throws Exception {
    SentrySettings settings =
        settings(Map.of("SENTRY_DSN", "https://abc123secretkey^x@o1.example/1"));
    assertThat(
            AgentLogCapture.linesWhile(
                () -> assertThat(ErrorReporter.start(settings, "svc", "1.0")).isNull()))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line).contains("is not a valid Sentry DSN").doesNotContain("abc123"));
  }
}
