package io.redwing.agent.control;

/**
 * The agent's answer to a {@link ControlRequest}: an outcome on the first line, then the text the
 * CLI prints. {@code rejected} means part of the request was refused (a key that cannot change
 * live); {@code failed} means the agent could not do it.
 */
public final class ControlReply {
  public enum Outcome {
    OK,
    REJECTED,
    FAILED
  }

  private final Outcome outcome;
  private final String text;

  public ControlReply(Outcome outcome, String text) {
    this.outcome = outcome;
    this.text = text;
  }

  public static ControlReply parse(String encoded) {
    int newline = encoded.indexOf('\n');
    String first = newline < 0 ? encoded : encoded.substring(0, newline);
    String text = newline < 0 ? "" : encoded.substring(newline + 1);
    for (Outcome outcome : Outcome.values()) {
      if (outcome.name().equalsIgnoreCase(first.trim())) {
        return new ControlReply(outcome, text);
      }
    }
    return new ControlReply(Outcome.FAILED, encoded);
  }

  public String encode() {
    return outcome.name().toLowerCase(java.util.Locale.ROOT) + "\n" + text;
  }

  public Outcome outcome() {
    return outcome;
  }

  public String text() {
    return text;
  }
}
