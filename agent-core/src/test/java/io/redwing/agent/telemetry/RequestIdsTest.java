package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void generatesThirtyTwoLowercaseHexDigitsThatDiffer() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String id = RequestIds.generate();
      assertThat(id).matches("[0-9a-f]{32}");
      ids.add(id);
    }
    assertThat(ids).hasSize(1_000);
  }

  @Test
  void usesEveryHexDigitInEveryPosition() {
    // a wrong shift or mask would leave some positions with fewer than 16 digits
    @SuppressWarnings("unchecked")
    Set<Character>[] seen = new Set[32];
    for (int i = 0; i < 32; i++) {
      seen[i] = new HashSet<>();
    }
    for (int n = 0; n < 2_000; n++) {
      String id = RequestIds.generate();
      for (int i = 0; i < 32; i++) {
        seen[i].add(id.charAt(i));
      }
    }
    for (Set<Character> digits : seen) {
      assertThat(digits).hasSize(16);
    }
  }

  @Test
  void acceptsASaneInboundIdAndReplacesOthers() {
    assertThat(RequestIds.acceptOrGenerate("req-42")).isEqualTo("req-42");
    assertThat(RequestIds.acceptOrGenerate("has space")).matches("[0-9a-f]{32}");
    assertThat(RequestIds.acceptOrGenerate("x".repeat(RequestIds.MAX_LENGTH + 1)))
        .matches("[0-9a-f]{32}");
    assertThat(RequestIds.acceptOrGenerate(null)).matches("[0-9a-f]{32}");
  }
}
