package io.redwing.agent.control;

import io.redwing.agent.AgentVersion;
import io.redwing.agent.log.AgentLog;

/**
 * Where {@code agentmain} hands a control command: runs it against the running agent and leaves the
 * reply in a system property for the CLI. Never throws into the attach listener.
 */
public final class ControlEntry {
  private ControlEntry() {}

  public static void handle(String agentArgs) {
    ControlRequest request;
    try {
      request = ControlRequest.parse(agentArgs);
    } catch (IllegalArgumentException e) {
      AgentLog.warn("ignoring a malformed control command: " + e.getMessage());
      return;
    }
    try {
      forgetEarlierReplies();
      RunningAgent agent = RunningAgent.current();
      ControlReply reply;
      if (agent != null) {
        reply = ControlCommands.run(agent, request);
      } else if (System.getProperty(AgentVersion.PROPERTY) != null) {
        reply =
            new ControlReply(
                ControlReply.Outcome.FAILED,
                "Redwing is starting (or failed to start: see the JVM's stderr); try again\n");
      } else {
        reply = new ControlReply(ControlReply.Outcome.FAILED, "Redwing is not attached\n");
      }
      System.setProperty(request.replyProperty(), reply.encode());
    } catch (RuntimeException | LinkageError e) {
      AgentLog.warn("control command " + request.command() + " failed", e);
      System.setProperty(
          request.replyProperty(),
          new ControlReply(ControlReply.Outcome.FAILED, e.toString()).encode());
    }
  }

  /** Each reply is read once, right after its command: the next command drops the old ones. */
  private static void forgetEarlierReplies() {
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith(ControlRequest.REPLY_PREFIX)) {
        System.clearProperty(name);
      }
    }
  }
}
