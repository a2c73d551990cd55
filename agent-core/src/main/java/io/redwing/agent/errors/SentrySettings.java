package io.redwing.agent.errors;

import io.redwing.agent.config.ConfigSources;
import io.redwing.bootstrap.LogRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The Sentry options the agent reads: the SDK's own ({@code SENTRY_DSN}, {@code -Dsentry.dsn}, ...)
 * and Redwing's bounds and scrub lists. A bad value gives one line and its default.
 */
public final class SentrySettings {
  public static final String DSN = "sentry.dsn";
  public static final String ENVIRONMENT = "sentry.environment";
  public static final String RELEASE = "sentry.release";
  public static final String SAMPLE_RATE = "sentry.sample.rate";
  public static final String SERVER_NAME = "sentry.server.name";
  public static final String MAX_QUEUE_SIZE = "sentry.max.queue.size";
  public static final String DEBUG = "sentry.debug";
  public static final String ENABLED = "redwing.sentry.enabled";
  public static final String EVENTS_PER_MINUTE = "redwing.sentry.events.per.minute";
  public static final String MAX_BREADCRUMBS = "redwing.sentry.max.breadcrumbs";
  public static final String SCRUB_KEYS = "redwing.sentry.scrub.keys";
  public static final String SCRUB_HEADERS = "redwing.sentry.scrub.headers";
  public static final String LOG_LEVEL = "redwing.sentry.log.level";

  final String dsn;
  final String environment;
  final String release;
  final Double sampleRate;
  final String serverName;
  final int maxQueueSize;
  final boolean debug;
  final int eventsPerMinute;
  final int maxBreadcrumbs;
  final List<String> extraKeys;
  final List<String> extraHeaders;

  /** Application log records at or above this OpenTelemetry severity become events; 0: none do. */
  final int logSeverity;

  private SentrySettings(ConfigSources sources, Consumer<String> problems) {
    String rawDsn = sources.get(DSN);
    boolean enabled = sources.readBoolean(ENABLED, true, true, problems);
    this.dsn = enabled && rawDsn != null && !rawDsn.isBlank() ? rawDsn.trim() : null;
    this.environment = trim(sources.get(ENVIRONMENT));
    this.release = trim(sources.get(RELEASE));
    this.sampleRate = readRate(sources, problems);
    this.serverName = trim(sources.get(SERVER_NAME));
    this.maxQueueSize = readPositive(sources, MAX_QUEUE_SIZE, 30, problems);
    this.debug = sources.readBoolean(DEBUG, false, false, problems);
    this.eventsPerMinute = readPositive(sources, EVENTS_PER_MINUTE, 30, problems);
    this.maxBreadcrumbs = readPositive(sources, MAX_BREADCRUMBS, 30, problems);
    this.extraKeys = split(sources.get(SCRUB_KEYS));
    this.extraHeaders = split(sources.get(SCRUB_HEADERS));
    this.logSeverity = readLogSeverity(sources, problems);
  }

  public static SentrySettings from(ConfigSources sources, Consumer<String> problems) {
    return new SentrySettings(sources, problems);
  }

  /** True when a DSN is set and Sentry is not switched off. */
  public boolean enabled() {
    return dsn != null;
  }

  private static Double readRate(ConfigSources sources, Consumer<String> problems) {
    String value = trim(sources.get(SAMPLE_RATE));
    if (value == null) {
      return null;
    }
    try {
      double rate = Double.parseDouble(value);
      if (rate >= 0 && rate <= 1) {
        return rate;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.accept(
        sources.quoted(SAMPLE_RATE, value)
            + " is not a number from 0 to 1; using 1.0 (every event)");
    return null;
  }

  /** The severity from which application log records become events, or 0 for none. */
  public int logSeverity() {
    return logSeverity;
  }

  private static int readLogSeverity(ConfigSources sources, Consumer<String> problems) {
    String value = trim(sources.get(LOG_LEVEL));
    if (value == null || value.equalsIgnoreCase("error")) {
      return LogRecords.ERROR;
    }
    if (value.equalsIgnoreCase("warn")) {
      return LogRecords.WARN;
    }
    if (!value.equalsIgnoreCase("off")) {
      problems.accept(sources.quoted(LOG_LEVEL, value) + " is not error, warn or off; using error");
      return LogRecords.ERROR;
    }
    return 0;
  }

  private static int readPositive(
      ConfigSources sources, String key, int fallback, Consumer<String> problems) {
    String value = trim(sources.get(key));
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.accept(
        sources.quoted(key, value) + " is not a positive whole number; using " + fallback);
    return fallback;
  }

  private static List<String> split(String value) {
    List<String> result = new ArrayList<>();
    if (value != null) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          result.add(part.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return result;
  }

  private static String trim(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
