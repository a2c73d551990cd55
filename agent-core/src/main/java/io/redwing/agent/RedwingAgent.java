package io.redwing.agent;

import io.redwing.agent.control.ControlEntry;
import io.redwing.agent.control.ControlRequest;
import io.redwing.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points. Only what must happen before {@code main} runs here; everything heavy
 * runs on the daemon thread {@code redwing-init}, and nothing ever throws into the application.
 */
public final class RedwingAgent {
  static final String INIT_THREAD = "redwing-init";

  private RedwingAgent() {}

  /** {@code -javaagent:redwing-agent.jar=key=value,...} */
  public static void premain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation, false);
  }

  /**
   * Loaded into a running JVM by the attach command; loaded again by {@code status}, {@code set}
   * and {@code detach}, whose argument is a control command that runs here, on the attach thread.
   */
  public static void agentmain(String agentArgs, Instrumentation instrumentation) {
    if (ControlRequest.isControl(agentArgs)) {
      try {
        ControlEntry.handle(agentArgs);
      } catch (Throwable t) {
        AgentLog.error("control command failed", t);
      }
      return;
    }
    start(agentArgs, instrumentation, true);
  }

  private static void start(String agentArgs, Instrumentation instrumentation, boolean attached) {
    try {
      // Claims the JVM: a second -javaagent or attach finds the property and backs off.
      synchronized (System.getProperties()) {
        String running = System.getProperty(AgentVersion.PROPERTY);
        if (running != null) {
          AgentLog.warn("agent " + running + " is already running in this JVM; not starting again");
          return;
        }
        System.setProperty(AgentVersion.PROPERTY, AgentVersion.get());
      }
      Thread init =
          new Thread(
              AgentThreads.GROUP,
              new AgentStartup(agentArgs, instrumentation, attached),
              INIT_THREAD);
      init.setDaemon(true);
      init.start();
    } catch (Throwable t) {
      AgentLog.error("agent failed to start; the application runs without it", t);
    }
  }
}
