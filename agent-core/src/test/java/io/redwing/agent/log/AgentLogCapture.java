package io.redwing.agent.log;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** What the agent writes to stderr while part of a test runs. */
public final class AgentLogCapture {
  /** A test step that may throw. */
  public interface Step {
    void run() throws Exception;
  }

  private AgentLogCapture() {}

  /**
   * The agent's lines while {@code step} runs; its own stream is back afterwards, even on failure.
   */
  public static List<String> linesWhile(Step step) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream previous =
        AgentLog.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      step.run();
    } finally {
      AgentLog.redirect(previous);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
  }
}
