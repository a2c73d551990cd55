package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What of a request's path a server span's {@code url.path} keeps. */
class ServerPathTest {

  @Test
  void aSessionInThePathIsDroppedAndOtherPathParametersKept() {
    assertThat(SpanRecorder.withoutSessionIds("/reset;jsessionid=ABCDEF123")).isEqualTo("/reset");
    assertThat(SpanRecorder.withoutSessionIds("/a;JSESSIONID=X/b;color=red;sid=9/c;token"))
        .isEqualTo("/a/b;color=red/c");
  }

  @Test
  void aPathWithoutParametersIsTheSameString() {
    String path = "/owners/7";
    assertThat(SpanRecorder.withoutSessionIds(path)).isSameAs(path);
    assertThat(SpanRecorder.withoutSessionIds(null)).isNull();
  }
}
