package io.redwing.agent.control;

import io.redwing.agent.AgentVersion;
import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.config.RedwingConfig;
import io.redwing.agent.log.AgentLog;
import io.redwing.agent.log.LibraryLogBridge;
import io.redwing.agent.telemetry.LiveSampler;
import io.redwing.bootstrap.DbPools;
import io.redwing.bootstrap.JdbcCalls;
import io.redwing.bootstrap.Operations;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Carries out {@code status}, {@code set} and {@code detach} on the running agent. They run on
 * {@code redwing-control}, one at a time and in order with self-disabling, and the attach thread
 * that asked waits for the reply.
 */
public final class ControlCommands {
  /** Long enough for detach's final flush (the SDK waits up to 10 s) and Sentry's (1 s). */
  static final long TIMEOUT_SECONDS = 60;

  private ControlCommands() {}

  /** Runs {@code request} on the agent's control thread and waits for its reply. */
  public static ControlReply run(RunningAgent agent, ControlRequest request) {
    try {
      return agent
          .live
          .submit(() -> execute(agent, request))
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ControlReply(ControlReply.Outcome.FAILED, "interrupted");
    } catch (Exception e) {
      return new ControlReply(ControlReply.Outcome.FAILED, request.command() + " failed: " + e);
    }
  }

  static ControlReply execute(RunningAgent agent, ControlRequest request) {
    switch (request.command()) {
      case "status":
        return new ControlReply(ControlReply.Outcome.OK, StatusReport.render(agent));
      case "set":
        return set(agent, request.args());
      case "detach":
        return detach(agent);
      default:
        return new ControlReply(
            ControlReply.Outcome.REJECTED, "unknown command \"" + request.command() + "\"");
    }
  }

  static ControlReply set(RunningAgent agent, List<String> arguments) {
    if (arguments.isEmpty()) {
      return new ControlReply(
          ControlReply.Outcome.REJECTED,
          "set needs key=value arguments; changeable live: "
              + "redwing.instrumentation.<name>.enabled, "
              + LiveSetting.SAMPLER_RATIO
              + ", "
              + LiveSetting.LOG_LEVEL
              + ", "
              + LiveSetting.METHODS_INCLUDE
              + "\n");
    }
    StringBuilder text = new StringBuilder();
    boolean rejected = false;
    boolean reinstall = false;
    ConfigSources sources = agent.sources();
    Map<String, String> before = agent.live.states();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    for (String argument : arguments) {
      LiveSetting setting = LiveSetting.parse(argument);
      if (!setting.accepted()) {
        rejected = true;
        text.append(argument).append(": ").append(setting.problem()).append('\n');
        continue;
      }
      String old;
      String changed;
      switch (setting.kind()) {
        case INSTRUMENTATION:
          String name = agent.live.knownName(setting.instrumentation());
          if (name == null) {
            rejected = true;
            text.append(argument)
                .append(": no instrumentation named ")
                .append(setting.instrumentation())
                .append(" (known: ")
                .append(String.join(", ", agent.live.known()))
                .append(")\n");
            continue;
          }
          boolean enabled = Boolean.parseBoolean(setting.value());
          agent.live.switchedBySet(
              name, enabled, "switched off at " + now + " by set " + setting.written() + "=false");
          old = String.valueOf(agent.config().instrumentationEnabled(name));
          changed = setting.value();
          reinstall = true;
          break;
        case SAMPLER_RATIO:
          LiveSampler sampler = agent.tracing.sampler();
          if (sampler == null) {
            rejected = true;
            text.append(argument).append(": tracing is off in this JVM; nothing to sample\n");
            continue;
          }
          old = sampler.getDescription();
          sampler.ratio(Double.parseDouble(setting.value()));
          changed = sampler.getDescription();
          break;
        case LOG_LEVEL:
          old = AgentLog.level().name().toLowerCase(Locale.ROOT);
          AgentLog.setLevel(AgentLog.parseLevel(setting.value()));
          LibraryLogBridge.levelChanged();
          changed = setting.value();
          break;
        case METHODS_INCLUDE:
          String previous = sources.get(setting.key());
          old = previous == null ? "(none)" : previous;
          changed = setting.value().isEmpty() ? "(none)" : setting.value();
          reinstall = true;
          break;
        default:
          continue;
      }
      sources = sources.with(setting.written(), setting.value());
      text.append(setting.written()) // as typed: normalising turns names' dashes into dots
          .append(": ")
          .append(old)
          .append(" -> ")
          .append(changed)
          .append('\n');
    }
    agent.sources(sources);
    if (reinstall) {
      List<String> problems = new ArrayList<>();
      agent.live.reconfigure(RedwingConfig.from(sources, problems::add));
      for (Map.Entry<String, String> after : agent.live.states().entrySet()) {
        String was = before.get(after.getKey());
        if (!after.getValue().equals(was)) {
          text.append("instrumentation ")
              .append(after.getKey())
              .append(": ")
              .append(was)
              .append(" -> ")
              .append(after.getValue())
              .append('\n');
        }
      }
    }
    AgentLog.info(
        "set " + String.join(" ", arguments) + ": " + text.toString().trim().replace("\n", "; "));
    return new ControlReply(
        rejected ? ControlReply.Outcome.REJECTED : ControlReply.Outcome.OK, text.toString());
  }

  /**
   * Restores every class, stops recording, flushes and stops the exporters, closes the endpoint and
   * stops the agent's threads; then a later attach starts afresh.
   */
  static ControlReply detach(RunningAgent agent) {
    long started = System.nanoTime();
    agent.live.removeAll();
    Operations.uninstall();
    DbPools.uninstall();
    JdbcCalls.uninstall();
    List<String> problems = agent.stop();
    System.clearProperty(AgentVersion.PROPERTY);
    String text =
        "detached Redwing "
            + agent.version
            + " in "
            + (System.nanoTime() - started) / 1_000_000
            + " ms: classes restored to their original bytecode, traces and errors flushed,"
            + " endpoint closed, agent threads stopping"
            + (problems.isEmpty() ? "" : "; problems: " + String.join("; ", problems))
            + "\n";
    AgentLog.info(text.trim());
    return new ControlReply(ControlReply.Outcome.OK, text);
  }
}
