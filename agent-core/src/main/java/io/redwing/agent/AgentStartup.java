package io.redwing.agent;

import io.redwing.agent.log.AgentLog;
import io.redwing.instrumentation.api.BootstrapJar;
import java.lang.instrument.Instrumentation;

/**
 * The work of the {@code redwing-init} thread. This class must not mention any bootstrap type:
 * verifying it would load them through the wrong class loader before the jar is injected.
 */
final class AgentStartup implements Runnable {
  /** The bootstrap jar stays on the boot class path after a detach; a re-attach reuses it. */
  private static volatile boolean injected;

  private final String agentArgs;
  private final Instrumentation instrumentation;
  private final boolean attached;

  AgentStartup(String agentArgs, Instrumentation instrumentation, boolean attached) {
    this.agentArgs = agentArgs;
    this.instrumentation = instrumentation;
    this.attached = attached;
  }

  @Override
  public void run() {
    try {
      if (!injected) {
        BootstrapJar.inject(instrumentation, RedwingAgent.class.getClassLoader());
        injected = true;
      }
    } catch (Throwable t) {
      AgentLog.error("cannot put the bootstrap classes on the boot class path; agent disabled", t);
      return;
    }
    try {
      AgentComponents.start(agentArgs, instrumentation, attached);
    } catch (Throwable t) {
      AgentLog.error("agent start-up failed; the application runs without it", t);
    }
  }
}
