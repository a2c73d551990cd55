package io.redwing.agent.control;

import io.redwing.agent.AgentVersion;
import io.redwing.agent.config.SecretMask;
import io.redwing.agent.log.AgentLog;
import io.redwing.agent.telemetry.LiveSampler;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The text of {@code status}: what runs, what is instrumented, what was recorded. */
final class StatusReport {
  private StatusReport() {}

  static String render(RunningAgent agent) {
    StringBuilder text = new StringBuilder();
    long upSeconds = (System.currentTimeMillis() - agent.startedMillis) / 1000;
    text.append("Redwing ")
        .append(agent.version)
        .append(" in JVM ")
        .append(ProcessHandle.current().pid())
        .append(", service ")
        .append(agent.config().serviceName())
        .append('\n');
    row(
        text,
        "attached",
        "since "
            + Instant.ofEpochMilli(agent.startedMillis).truncatedTo(ChronoUnit.SECONDS)
            + " ("
            + (agent.attached ? "attach" : "-javaagent")
            + ", up "
            + upSeconds
            + " s)");
    row(text, "endpoint", agent.endpoint);
    LiveSampler sampler = agent.tracing.sampler();
    row(
        text,
        "traces",
        agent.status.exporterState()
            + (sampler == null ? "" : ", sampler " + sampler.getDescription()));
    row(text, "errors", agent.errors);
    row(text, "log level", AgentLog.level().name().toLowerCase(Locale.ROOT));
    row(
        text,
        "self-disabling",
        "after " + agent.live.threshold() + " suppressed advice errors of an instrumentation");

    text.append("instrumentations:\n");
    for (Map.Entry<String, String> e : agent.live.states().entrySet()) {
      row(text, e.getKey(), e.getValue());
    }
    text.append("operations recorded:\n");
    for (Map.Entry<String, Long> e : agent.dispatcher.operationCounts().entrySet()) {
      row(text, e.getKey(), Long.toString(e.getValue()));
    }
    text.append("suppressed advice errors:\n");
    Map<String, Integer> failures = agent.live.failures();
    if (failures.isEmpty()) {
      text.append("  none\n");
    }
    for (Map.Entry<String, Integer> e : failures.entrySet()) {
      row(text, e.getKey(), Integer.toString(e.getValue()));
    }
    text.append("configuration in effect:\n");
    for (Map.Entry<String, String> e : new TreeMap<>(agent.sources().asMap()).entrySet()) {
      if (e.getKey().equals(AgentVersion.PROPERTY)
          || e.getKey().startsWith(ControlRequest.REPLY_PREFIX)) {
        continue; // the agent's own bookkeeping, not configuration
      }
      text.append("  ")
          .append(e.getKey())
          .append('=')
          .append(SecretMask.show(e.getKey(), e.getValue()))
          .append('\n');
    }
    return text.toString();
  }

  static void row(StringBuilder text, String name, String value) {
    text.append("  ").append(name);
    for (int i = name.length(); i < 22; i++) {
      text.append(' ');
    }
    text.append(' ').append(value).append('\n');
  }
}
