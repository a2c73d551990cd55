package io.redwing.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Merges the four configuration sources into one map of normalised keys ({@code otel.service.name}
 * for both {@code OTEL_SERVICE_NAME} and {@code -Dotel.service.name}), highest first: agent
 * arguments, system properties, environment, the optional properties file.
 */
public final class ConfigSources {
  static final String CONFIG_FILE = "redwing.config.file";

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> spelling = new LinkedHashMap<>();

  private ConfigSources() {}

  /** Reads this JVM's sources. */
  public static ConfigSources read(String agentArgs, Consumer<String> problems) {
    Map<String, String> properties = new LinkedHashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      properties.put(name, System.getProperty(name));
    }
    return merge(agentArgs, properties, System.getenv(), problems);
  }

  public static ConfigSources merge(
      String agentArgs,
      Map<String, String> systemProperties,
      Map<String, String> environment,
      Consumer<String> problems) {
    ConfigSources sources = new ConfigSources();
    // Lowest first, each later source overwriting.
    Map<String, String> args = parseAgentArgs(agentArgs);
    String file =
        firstNonNull(
            lookup(args, CONFIG_FILE),
            lookup(systemProperties, CONFIG_FILE),
            lookup(environment, CONFIG_FILE));
    if (file != null && !file.isBlank()) {
      sources.putAll(readFile(file, problems), false);
    }
    sources.putAll(environment, true);
    sources.putAll(systemProperties, true);
    sources.putAll(args, false);
    return sources;
  }

  /** Lower case, with {@code _} and {@code -} as {@code .}: how the OpenTelemetry SDK does it. */
  public static String normalize(String key) {
    return key.trim().toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
  }

  public String get(String normalizedKey) {
    return values.get(normalizedKey);
  }

  /** The key as the user wrote it, for messages; the environment form when it was not set. */
  public String spelling(String normalizedKey) {
    String written = spelling.get(normalizedKey);
    return written != null ? written : normalizedKey.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /**
   * {@code KEY="value"} for a line about a setting: the key as the user wrote it, the value as
   * {@code status} shows it (a secret's masked, credentials in a URL too).
   */
  public String quoted(String normalizedKey, String value) {
    return spelling(normalizedKey) + "=\"" + SecretMask.show(normalizedKey, value) + "\"";
  }

  /**
   * The boolean at {@code normalizedKey}, {@code true} or {@code false} in any case: {@code absent}
   * when it is not set; {@code onBad} when it is something else, with one line to {@code problems}
   * naming the setting as the user wrote it.
   */
  public boolean readBoolean(
      String normalizedKey, boolean absent, boolean onBad, Consumer<String> problems) {
    String value = get(normalizedKey);
    if (value == null) {
      return absent;
    }
    String v = value.trim();
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    problems.accept(
        quoted(normalizedKey, value) + " is not a boolean (true, false); using " + onBad);
    return onBad;
  }

  /** A copy with {@code key} set to {@code value} above every source: a live {@code set}. */
  public ConfigSources with(String key, String value) {
    ConfigSources copy = new ConfigSources();
    copy.values.putAll(values);
    copy.spelling.putAll(spelling);
    String normalized = normalize(key);
    copy.values.put(normalized, value);
    copy.spelling.put(normalized, key);
    return copy;
  }

  public Map<String, String> asMap() {
    return java.util.Collections.unmodifiableMap(values);
  }

  /**
   * {@code key=value,key2=value2}. A comma-separated part that does not start with an otel/redwing
   * key continues the previous value, so that {@code otel.resource.attributes=a=b,c=d} keeps its
   * list.
   */
  static Map<String, String> parseAgentArgs(String agentArgs) {
    Map<String, String> result = new LinkedHashMap<>();
    if (agentArgs == null || agentArgs.isBlank()) {
      return result;
    }
    String lastKey = null;
    for (String part : agentArgs.split(",")) {
      int eq = part.indexOf('=');
      String key = eq > 0 ? part.substring(0, eq).trim() : null;
      if (key != null && isOurs(key)) {
        result.put(key, part.substring(eq + 1).trim());
        lastKey = key;
      } else if (lastKey != null) {
        result.put(lastKey, result.get(lastKey) + "," + part);
      }
    }
    return result;
  }

  private static boolean isOurs(String key) {
    String normalized = normalize(key);
    return normalized.startsWith("otel.")
        || normalized.startsWith("redwing.")
        || normalized.startsWith("sentry.");
  }

  private static Map<String, String> readFile(String file, Consumer<String> problems) {
    Map<String, String> result = new LinkedHashMap<>();
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | RuntimeException e) {
      problems.accept(
          "REDWING_CONFIG_FILE=\""
              + file
              + "\" cannot be read ("
              + e
              + "); expected a readable properties file; ignoring it");
      return result;
    }
    for (String name : properties.stringPropertyNames()) {
      result.put(name, properties.getProperty(name));
    }
    return result;
  }

  private void putAll(Map<String, String> source, boolean onlyOurs) {
    for (Map.Entry<String, String> e : source.entrySet()) {
      if (e.getKey() == null || e.getValue() == null || (onlyOurs && !isOurs(e.getKey()))) {
        continue;
      }
      String key = normalize(e.getKey());
      values.put(key, e.getValue());
      spelling.put(key, e.getKey());
    }
  }

  private static String lookup(Map<String, String> source, String normalizedKey) {
    for (Map.Entry<String, String> e : source.entrySet()) {
      if (e.getKey() != null && normalize(e.getKey()).equals(normalizedKey)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static String firstNonNull(String... candidates) {
    for (String c : candidates) {
      if (c != null) {
        return c;
      }
    }
    return null;
  }
}
