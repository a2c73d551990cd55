package io.redwing.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text longer than the bound, through the default scrubbing: cut, and nothing of a secret left. */
class BoundedTextTest {
  private static final int MAX = BoundedText.MAX;

  /** Words up to {@code length} characters, then {@code tail}, which the bound cuts. */
  private static String wordsThen(int length, String tail) {
    StringBuilder text = new StringBuilder(length + tail.length());
    while (text.length() < length) {
      text.append("lorem ");
    }
    text.setLength(length);
    return text + tail;
  }

  private static String scrub(String text) {
    return Scrubber.DEFAULTS.text(text);
  }

  @Test
  void aMessageOfMegabytesIsCutToTheBoundAndScrubbedThere() {
    String payload = "password=hunter2 " + "x".repeat(1_000) + " " + "{\"k\":1} ".repeat(500_000);

    String scrubbed = scrub(payload);

    assertThat(scrubbed.length()).isLessThanOrEqualTo(MAX + BoundedText.TRUNCATED.length());
    assertThat(scrubbed)
        .startsWith("password=[Filtered] ")
        .endsWith("{\"k\":1}" + BoundedText.TRUNCATED)
        .doesNotContain("hunter2");
  }

  @Test
  void textWithinTheBoundIsNotCut() {
    String text = wordsThen(MAX - 10, " done.");

    assertThat(scrub(text)).isEqualTo(text);
  }

  @Test
  void theCutLeavesNoPieceOfASecretItsRulesKnowOnlyByItsEnd() {
    // the '@' of URL credentials, an e-mail's domain, the thirteenth digit of a card number
    for (String secret :
        new String[] {
          "https://alice:S3cretPassw0rd@db.example.com/x",
          "alice.wonderland@example.com",
          "4111 1111 1111 1111",
          "4111-1111-1111-1111"
        }) {
      for (int at = 1; at < secret.length(); at++) {
        String scrubbed = scrub(wordsThen(MAX - at, " " + secret + " and more words"));

        assertThat(scrubbed)
            .as("%s cut after %d characters", secret, at)
            .endsWith(BoundedText.TRUNCATED)
            .doesNotContain("alice")
            .doesNotContain("S3cr")
            .doesNotContain("4111")
            .doesNotContain("1111");
      }
    }
  }

  @Test
  void aKeyDetailLeftOpenByTheCutGoesWhole() {
    String detail = "Key (name, city)=(Alice Smith, Madison) already exists.";
    for (int at = 6; at < detail.length() - "already exists.".length(); at++) {
      String scrubbed = scrub(wordsThen(MAX - at, " " + detail));

      assertThat(scrubbed)
          .as("cut after %d characters", at)
          .doesNotContain("Alice")
          .doesNotContain("Smith")
          .doesNotContain("Madison");
    }
  }

  @Test
  void aStackTraceWithAHugeMessageIsBoundedAsItIsWritten() {
    Exception error =
        new IllegalStateException(
            "token=abc123def456 " + "payload ".repeat(400_000), new RuntimeException("cause"));

    String trace = Scrubber.DEFAULTS.stackTrace(error);

    assertThat(trace.length()).isLessThanOrEqualTo(MAX + BoundedText.TRUNCATED.length());
    assertThat(trace)
        .startsWith("java.lang.IllegalStateException: token=[Filtered] payload")
        .endsWith("payload" + BoundedText.TRUNCATED)
        .doesNotContain("abc123");
  }

  @Test
  void aShortStackTraceIsWhole() {
    Exception error = new IllegalStateException("no such owner", new RuntimeException("cause"));

    String trace = Scrubber.DEFAULTS.stackTrace(error);

    assertThat(trace)
        .startsWith("java.lang.IllegalStateException: no such owner\n\tat ")
        .contains("Caused by: java.lang.RuntimeException: cause")
        .doesNotContain(BoundedText.TRUNCATED);
  }
}
