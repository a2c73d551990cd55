package io.redwing.agent.control;

import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.config.RedwingConfig;
import io.redwing.agent.endpoint.AgentStatus;
import io.redwing.agent.telemetry.OperationDispatcher;
import io.redwing.agent.telemetry.TracingSdk;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent running in this JVM, as the control commands see it. The agent jar is on the system
 * class path, so every {@code loadAgent} of it finds this same class and its static reference.
 */
public final class RunningAgent {
  private static volatile RunningAgent current;

  final String version;
  final boolean attached;
  final long startedMillis = System.currentTimeMillis();
  final AgentStatus status;
  final LiveInstrumentation live;
  final OperationDispatcher dispatcher;
  final TracingSdk tracing;
  final String endpoint;
  final String errors;

  /** What {@code detach} stops, in order (flushes first, the endpoint last). */
  private final List<AutoCloseable> stops = new ArrayList<>();

  private volatile ConfigSources sources;

  public RunningAgent(
      String version,
      boolean attached,
      ConfigSources sources,
      AgentStatus status,
      LiveInstrumentation live,
      OperationDispatcher dispatcher,
      TracingSdk tracing,
      String endpoint,
      String errors) {
    this.version = version;
    this.attached = attached;
    this.sources = sources;
    this.status = status;
    this.live = live;
    this.dispatcher = dispatcher;
    this.tracing = tracing;
    this.endpoint = endpoint;
    this.errors = errors;
  }

  /** The agent the control commands act on, or null while none runs. */
  public static RunningAgent current() {
    return current;
  }

  /** Makes this the agent that control commands act on. */
  public void publish() {
    current = this;
  }

  /** Adds a step that {@code detach} runs, after the ones added before it. */
  public RunningAgent stopsWith(AutoCloseable stop) {
    stops.add(stop);
    return this;
  }

  ConfigSources sources() {
    return sources;
  }

  RedwingConfig config() {
    return live.config();
  }

  void sources(ConfigSources changed) {
    this.sources = changed;
  }

  /** Runs the stop steps; a failing one costs one line and the next still runs. */
  List<String> stop() {
    if (current == this) {
      current = null;
    }
    List<String> problems = new ArrayList<>();
    for (AutoCloseable stop : stops) {
      try {
        stop.close();
      } catch (Exception | LinkageError e) {
        problems.add(e.toString());
      }
    }
    return problems;
  }
}
