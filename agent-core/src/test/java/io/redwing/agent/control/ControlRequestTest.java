package io.redwing.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ControlRequestTest {

  @Test
  void aSetCommandSurvivesEncodingWithColonsCommasAndSpacesInItsValues() {
    ControlRequest request =
        new ControlRequest(
            "a1b2",
            "set",
            List.of("otel.instrumentation.methods.include=a.B[c,d];e.F[g]", "x=http://h:1/ p"));

    ControlRequest parsed = ControlRequest.parse(request.encode());

    assertThat(parsed.nonce()).isEqualTo("a1b2");
    assertThat(parsed.command()).isEqualTo("set");
    assertThat(parsed.args())
        .containsExactly("otel.instrumentation.methods.include=a.B[c,d];e.F[g]", "x=http://h:1/ p");
    assertThat(parsed.replyProperty()).isEqualTo("redwing.control.reply.a1b2");
  }

  @Test
  void aCommandWithoutArgumentsHasNone() {
    String encoded = new ControlRequest("n1", "status", List.of()).encode();

    assertThat(encoded).isEqualTo("redwing.control:n1:status");
    assertThat(ControlRequest.parse(encoded).args()).isEmpty();
  }

  @Test
  void configurationArgumentsAreNotControlCommands() {
    assertThat(ControlRequest.isControl("otel.service.name=shop")).isFalse();
    assertThat(ControlRequest.isControl(null)).isFalse();
    assertThat(ControlRequest.isControl("redwing.control:n:detach")).isTrue();
  }

  @Test
  void unknownCommandsAndBadNoncesAreRefused() {
    assertThatThrownBy(() -> ControlRequest.parse("redwing.control:n1:reboot"))
        .hasMessageContaining("reboot");
    assertThatThrownBy(() -> ControlRequest.parse("redwing.control:n.1:status"))
        .hasMessageContaining("nonce");
    assertThatThrownBy(() -> ControlRequest.parse("redwing.control:status"))
        .hasMessageContaining("nonce and a command");
  }

  @Test
  void aReplyKeepsItsOutcomeAndText() {
    ControlReply reply = new ControlReply(ControlReply.Outcome.REJECTED, "a: b\nc: d\n");

    ControlReply parsed = ControlReply.parse(reply.encode());

    assertThat(parsed.outcome()).isEqualTo(ControlReply.Outcome.REJECTED);
    assertThat(parsed.text()).isEqualTo("a: b\nc: d\n");
    assertThat(ControlReply.parse("garbage").outcome()).isEqualTo(ControlReply.Outcome.FAILED);
  }
}
