package io.redwing.agent.control;

import io.redwing.agent.config.ConfigSources;
import io.redwing.agent.log.AgentLog;
import java.util.Locale;

/**
 * One {@code key=value} of a {@code set} command, checked: which live-changeable setting it is
 * (keys in any of the configuration's spellings), or why it is refused.
 */
public final class LiveSetting {
  public static final String SAMPLER_RATIO = "otel.traces.sampler.arg";
  public static final String LOG_LEVEL = "redwing.log.level";
  public static final String METHODS_INCLUDE = "otel.instrumentation.methods.include";
  static final String INSTRUMENTATION_PREFIX = "redwing.instrumentation.";
  static final String ENABLED_SUFFIX = ".enabled";

  /** What a setting changes. */
  public enum Kind {
    INSTRUMENTATION,
    SAMPLER_RATIO,
    LOG_LEVEL,
    METHODS_INCLUDE
  }

  private final String written;
  private final String key;
  private final String value;
  private final Kind kind;
  private final String problem;

  private LiveSetting(String written, String key, String value, Kind kind, String problem) {
    this.written = written;
    this.key = key;
    this.value = value;
    this.kind = kind;
    this.problem = problem;
  }

  /** Parses {@code key=value}; a setting that cannot change live carries its {@link #problem}. */
  public static LiveSetting parse(String argument) {
    int eq = argument.indexOf('=');
    if (eq <= 0) {
      return new LiveSetting(argument, "", "", null, "expected key=value");
    }
    String written = argument.substring(0, eq).trim();
    String key = ConfigSources.normalize(written);
    String value = argument.substring(eq + 1).trim();
    if (key.startsWith(INSTRUMENTATION_PREFIX)
        && key.endsWith(ENABLED_SUFFIX)
        && key.length() > INSTRUMENTATION_PREFIX.length() + ENABLED_SUFFIX.length()) {
      String v = value.toLowerCase(Locale.ROOT);
      return v.equals("true") || v.equals("false")
          ? new LiveSetting(written, key, v, Kind.INSTRUMENTATION, null)
          : new LiveSetting(written, key, value, null, "expected true or false");
    }
    switch (key) {
      case SAMPLER_RATIO:
        return ratio(written, key, value);
      case LOG_LEVEL:
        return AgentLog.parseLevel(value) != null
            ? new LiveSetting(written, key, value.toLowerCase(Locale.ROOT), Kind.LOG_LEVEL, null)
            : new LiveSetting(written, key, value, null, "expected error, warn, info or debug");
      case METHODS_INCLUDE:
        return new LiveSetting(written, key, value, Kind.METHODS_INCLUDE, null);
      default:
        return new LiveSetting(
            written, key, value, null, "not changeable live; restart with it to change it");
    }
  }

  private static LiveSetting ratio(String written, String key, String value) {
    try {
      double ratio = Double.parseDouble(value);
      if (ratio >= 0 && ratio <= 1) {
        return new LiveSetting(written, key, Double.toString(ratio), Kind.SAMPLER_RATIO, null);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return new LiveSetting(written, key, value, null, "expected a ratio between 0 and 1");
  }

  /** The instrumentation name of a {@link Kind#INSTRUMENTATION} setting (normalised). */
  public String instrumentation() {
    return key.substring(INSTRUMENTATION_PREFIX.length(), key.length() - ENABLED_SUFFIX.length());
  }

  public boolean accepted() {
    return problem == null;
  }

  public String written() {
    return written;
  }

  public String key() {
    return key;
  }

  public String value() {
    return value;
  }

  public Kind kind() {
    return kind;
  }

  public String problem() {
    return problem;
  }
}
