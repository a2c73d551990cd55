package io.redwing.agent.config;

import io.redwing.agent.log.AgentLog;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The agent's typed configuration, read once at start-up. Every bad value produces one line through
 * {@code problems} naming the key, the value and what is accepted, and falls back to its default.
 */
public final class RedwingConfig {
  public static final String PROMETHEUS_HOST = "otel.exporter.prometheus.host";
  public static final String PROMETHEUS_PORT = "otel.exporter.prometheus.port";
  public static final String CARDINALITY_LIMIT = "redwing.metrics.cardinality.limit";
  public static final String REQUEST_ID_ENABLED = "redwing.request.id.enabled";
  public static final String NATIVE_HISTOGRAMS = "redwing.metrics.native.histograms";
  public static final String SANITIZE_QUERY_PARAMETERS = "redwing.sanitize.query.parameters";
  public static final String LOG_LEVEL = "redwing.log.level";
  public static final String LOGS_JSON = "redwing.logs.json";
  public static final String LOG_CORRELATION_ENABLED = "redwing.log.correlation.enabled";
  public static final String METRICS_EXPORTER = "otel.metrics.exporter";
  public static final String SERVICE_NAME = "otel.service.name";
  public static final String METHODS_INCLUDE = "otel.instrumentation.methods.include";

  public static final int DEFAULT_PORT = 9464;
  public static final int DEFAULT_CARDINALITY_LIMIT = 2000;
  public static final List<String> DEFAULT_SANITIZED_PARAMETERS =
      List.of(
          "token",
          "access_token",
          "key",
          "api_key",
          "apikey",
          "password",
          "passwd",
          "pwd",
          "secret",
          "sig",
          "signature",
          "auth",
          "session",
          "code",
          "client_secret");

  private static final Set<String> SAMPLERS =
      Set.of(
          "always_on",
          "always_off",
          "traceidratio",
          "parentbased_always_on",
          "parentbased_always_off",
          "parentbased_traceidratio");

  /** The SDK's default collector, to which the signals' paths are appended. */
  private static final String DEFAULT_OTLP_ENDPOINT = "http://localhost:4318";

  private static final Set<String> PROPAGATORS =
      Set.of("tracecontext", "baggage", "b3", "b3multi", "none");
  private static final Set<String> TRACES_EXPORTERS = Set.of("otlp", "none");
  private static final Set<String> LOGS_EXPORTERS = Set.of("otlp", "none");

  /** gRPC would need OkHttp or grpc-java in the agent; the JDK HttpClient sender does HTTP only. */
  private static final Set<String> PROTOCOLS = Set.of("http/protobuf");

  /** Bounds what one span or log record carries (a query, a URL, a stack trace). */
  private static final String ATTRIBUTE_LENGTH_LIMIT = "otel.attribute.value.length.limit";

  /** The SDK's default is no bound at all. */
  private static final String DEFAULT_ATTRIBUTE_LENGTH_LIMIT = "8192";

  /**
   * Integer keys that must not be negative, each with what a bad value falls back to: the batch
   * span and log record processors' SDK defaults, and our attribute length limit.
   */
  private static final Map<String, String> NON_NEGATIVE_INTS =
      Map.of(
          "otel.bsp.schedule.delay",
          "5000",
          "otel.bsp.max.queue.size",
          "2048",
          "otel.bsp.max.export.batch.size",
          "512",
          "otel.bsp.export.timeout",
          "30000",
          "otel.blrp.schedule.delay",
          "1000",
          "otel.blrp.max.queue.size",
          "2048",
          "otel.blrp.max.export.batch.size",
          "512",
          "otel.blrp.export.timeout",
          "30000",
          ATTRIBUTE_LENGTH_LIMIT,
          DEFAULT_ATTRIBUTE_LENGTH_LIMIT);

  private final ConfigSources sources;
  private final Consumer<String> problems;
  private final Map<String, String> sdkProperties = new LinkedHashMap<>();
  private final String serviceName;
  private final String prometheusHost;
  private final int prometheusPort;
  private final boolean prometheusEnabled;
  private final int cardinalityLimit;
  private final boolean requestIdEnabled;
  private final boolean nativeHistograms;
  private final Set<String> sanitizedQueryParameters;
  private final AgentLog.Level logLevel;
  private final boolean logsJson;
  private final boolean logCorrelationEnabled;

  private RedwingConfig(ConfigSources sources, Consumer<String> problems) {
    this.sources = sources;
    this.problems = problems;
    this.logLevel = readLogLevel();
    this.logsJson = readBoolean(LOGS_JSON, false);
    this.logCorrelationEnabled = readBoolean(LOG_CORRELATION_ENABLED, true);
    this.prometheusHost = readHost();
    this.prometheusPort = readPort();
    this.cardinalityLimit = readPositiveInt(CARDINALITY_LIMIT, DEFAULT_CARDINALITY_LIMIT);
    this.requestIdEnabled = readBoolean(REQUEST_ID_ENABLED, true);
    this.nativeHistograms = readBoolean(NATIVE_HISTOGRAMS, false);
    this.sanitizedQueryParameters = readSanitizedParameters();
    this.prometheusEnabled = readMetricsExporters();
    this.serviceName = readServiceName();
    buildSdkProperties();
  }

  public static RedwingConfig from(ConfigSources sources, Consumer<String> problems) {
    return new RedwingConfig(sources, problems);
  }

  public String serviceName() {
    return serviceName;
  }

  public String prometheusHost() {
    return prometheusHost;
  }

  public int prometheusPort() {
    return prometheusPort;
  }

  /** False when {@code OTEL_METRICS_EXPORTER} does not name {@code prometheus}. */
  public boolean prometheusEnabled() {
    return prometheusEnabled;
  }

  public int cardinalityLimit() {
    return cardinalityLimit;
  }

  public boolean requestIdEnabled() {
    return requestIdEnabled;
  }

  /**
   * Native histograms beside the classic ones: off unless asked for, because each observation then
   * updates a second, sparse bucket map, and a Prometheus before 2.45 that scrapes them drops the
   * {@code _bucket} series the dashboards read.
   */
  public boolean nativeHistograms() {
    return nativeHistograms;
  }

  /**
   * Lower-case names of query parameters whose values are replaced by {@code REDACTED}: the
   * defaults and any the setting adds. A setting replaces nothing, so that naming one more
   * parameter cannot quietly stop the redaction of {@code token} or {@code password}.
   */
  public Set<String> sanitizedQueryParameters() {
    return sanitizedQueryParameters;
  }

  public AgentLog.Level logLevel() {
    return logLevel;
  }

  /** The agent's own stderr lines as one JSON object each. */
  public boolean logsJson() {
    return logsJson;
  }

  /** Trace, span and request ids in the application's MDC / ThreadContext. */
  public boolean logCorrelationEnabled() {
    return logCorrelationEnabled;
  }

  /** The methods to trace, in OpenTelemetry's {@code Class[m1,m2];Other[*]} syntax; or null. */
  public String methodsInclude() {
    return sources.get(METHODS_INCLUDE);
  }

  /** {@code redwing.instrumentation.<name>.enabled}, true unless set to false. */
  public boolean instrumentationEnabled(String name) {
    return readBoolean(
        "redwing.instrumentation." + ConfigSources.normalize(name) + ".enabled", true);
  }

  /**
   * The properties the OpenTelemetry SDK's autoconfigure gets: every {@code otel.*} key of every
   * source, bad values replaced by their defaults, and Redwing's defaults filled in.
   */
  public Map<String, String> sdkProperties() {
    return Collections.unmodifiableMap(sdkProperties);
  }

  /**
   * Where the OTLP exporter sends a signal ({@code traces}, {@code logs}), as autoconfigure
   * resolves it: the signal's own endpoint, else the base endpoint with {@code v1/<signal>}.
   */
  public String otlpEndpoint(String signal) {
    String own = sdkProperties.get("otel.exporter.otlp." + signal + ".endpoint");
    if (own != null && !own.isBlank()) {
      return own.trim();
    }
    String base = sdkProperties.getOrDefault("otel.exporter.otlp.endpoint", "").trim();
    if (base.isEmpty()) {
      base = DEFAULT_OTLP_ENDPOINT;
    }
    return base + (base.endsWith("/") ? "" : "/") + "v1/" + signal;
  }

  // ---- readers -----------------------------------------------------------------------------

  private AgentLog.Level readLogLevel() {
    String value = sources.get(LOG_LEVEL);
    if (value == null) {
      return AgentLog.Level.INFO;
    }
    AgentLog.Level level = AgentLog.parseLevel(value);
    if (level == null) {
      bad(LOG_LEVEL, value, "is not a log level (error, warn, info, debug)", "info");
      return AgentLog.Level.INFO;
    }
    return level;
  }

  private String readHost() {
    String value = sources.get(PROMETHEUS_HOST);
    if (value == null) {
      return "0.0.0.0";
    }
    if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
      bad(PROMETHEUS_HOST, value, "is not a host name or address", "0.0.0.0");
      return "0.0.0.0";
    }
    return value.trim();
  }

  private int readPort() {
    String value = sources.get(PROMETHEUS_PORT);
    if (value == null) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    bad(PROMETHEUS_PORT, value, "is not a port (0-65535)", String.valueOf(DEFAULT_PORT));
    return DEFAULT_PORT;
  }

  private int readPositiveInt(String key, int fallback) {
    String value = sources.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    bad(key, value, "is not a positive whole number", String.valueOf(fallback));
    return fallback;
  }

  private boolean readBoolean(String key, boolean fallback) {
    return sources.readBoolean(key, fallback, fallback, problems);
  }

  private Set<String> readSanitizedParameters() {
    String value = sources.get(SANITIZE_QUERY_PARAMETERS);
    Set<String> result = new LinkedHashSet<>(DEFAULT_SANITIZED_PARAMETERS);
    if (value != null) {
      for (String name : split(value)) {
        result.add(name.toLowerCase(Locale.ROOT));
      }
    }
    return Collections.unmodifiableSet(result);
  }

  private boolean readMetricsExporters() {
    String value = sources.get(METRICS_EXPORTER);
    if (value == null) {
      return true;
    }
    boolean prometheus = false;
    for (String name : split(value)) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals("prometheus")) {
        prometheus = true;
      } else if (n.equals("otlp")) {
        problems.accept(
            sources.quoted(METRICS_EXPORTER, value)
                + ": pushing metrics over OTLP is not supported yet; metrics stay on the"
                + " Prometheus endpoint");
        prometheus = true;
      } else if (!n.equals("none")) {
        bad(
            METRICS_EXPORTER,
            value,
            "is not a metrics exporter (prometheus, otlp, none)",
            "prometheus");
        return true;
      }
    }
    return prometheus;
  }

  private String readServiceName() {
    String configured = sources.get(SERVICE_NAME);
    if (configured != null && !configured.isBlank()) {
      return configured.trim();
    }
    String attributes = sources.get("otel.resource.attributes");
    if (attributes != null) {
      for (String pair : attributes.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals("service.name")) {
          return pair.substring(eq + 1).trim();
        }
      }
    }
    return ServiceNames.fromCommand(System.getProperty("sun.java.command"));
  }

  private void buildSdkProperties() {
    for (Map.Entry<String, String> e : sources.asMap().entrySet()) {
      if (e.getKey().startsWith("otel.")) {
        sdkProperties.put(e.getKey(), e.getValue());
      }
    }
    sdkProperties.put(SERVICE_NAME, serviceName);
    // Redwing serves metrics itself; the SDK's own exporters would need classes we do not ship.
    sdkProperties.put(METRICS_EXPORTER, "none");
    sdkProperties.putIfAbsent("otel.logs.exporter", "none");
    sdkProperties.putIfAbsent(ATTRIBUTE_LENGTH_LIMIT, DEFAULT_ATTRIBUTE_LENGTH_LIMIT);
    // The SDK's autoconfigure still defaults to grpc; the OTLP specification says http/protobuf.
    sdkProperties.putIfAbsent("otel.exporter.otlp.protocol", "http/protobuf");
    sdkProperties.remove(PROMETHEUS_HOST);
    sdkProperties.remove(PROMETHEUS_PORT);

    checkOneOf("otel.traces.exporter", TRACES_EXPORTERS, "otlp");
    checkOneOf("otel.traces.sampler", SAMPLERS, "parentbased_always_on");
    checkSamplerArg();
    checkOneOf("otel.exporter.otlp.protocol", PROTOCOLS, "http/protobuf");
    checkOneOf("otel.exporter.otlp.traces.protocol", PROTOCOLS, "http/protobuf");
    checkEndpoint("otel.exporter.otlp.endpoint", DEFAULT_OTLP_ENDPOINT);
    checkEndpoint("otel.exporter.otlp.traces.endpoint", DEFAULT_OTLP_ENDPOINT + "/v1/traces");
    checkOneOf("otel.logs.exporter", LOGS_EXPORTERS, "none");
    checkOneOf("otel.exporter.otlp.logs.protocol", PROTOCOLS, "http/protobuf");
    checkEndpoint("otel.exporter.otlp.logs.endpoint", DEFAULT_OTLP_ENDPOINT + "/v1/logs");
    checkPropagators();
    for (Map.Entry<String, String> e : NON_NEGATIVE_INTS.entrySet()) {
      checkNonNegativeInt(e.getKey(), e.getValue());
    }
    String disabled = sdkProperties.get("otel.sdk.disabled");
    if (disabled != null && !disabled.trim().matches("(?i)true|false")) {
      bad("otel.sdk.disabled", disabled, "is not a boolean (true, false)", "false");
      sdkProperties.put("otel.sdk.disabled", "false");
    }
  }

  private void checkOneOf(String key, Set<String> accepted, String fallback) {
    String value = sdkProperties.get(key);
    if (value != null && !accepted.contains(value.trim().toLowerCase(Locale.ROOT))) {
      bad(key, value, "is not one of " + String.join(", ", sorted(accepted)), fallback);
      sdkProperties.put(key, fallback);
    }
  }

  private void checkSamplerArg() {
    String value = sdkProperties.get("otel.traces.sampler.arg");
    String sampler = sdkProperties.getOrDefault("otel.traces.sampler", "");
    if (value == null || !sampler.toLowerCase(Locale.ROOT).endsWith("traceidratio")) {
      return;
    }
    try {
      double ratio = Double.parseDouble(value.trim());
      if (ratio >= 0 && ratio <= 1) {
        return;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    bad("otel.traces.sampler.arg", value, "is not a ratio between 0 and 1", "1.0");
    sdkProperties.put("otel.traces.sampler.arg", "1.0");
  }

  private void checkEndpoint(String key, String fallback) {
    String value = sdkProperties.get(key);
    if (value == null) {
      return;
    }
    try {
      URI uri = new URI(value.trim());
      String scheme = uri.getScheme();
      if (uri.getHost() != null
          && scheme != null
          && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        return;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    bad(key, value, "is not an http:// or https:// URL with a host", fallback);
    sdkProperties.put(key, fallback);
  }

  private void checkPropagators() {
    String value = sdkProperties.get("otel.propagators");
    if (value == null) {
      return;
    }
    List<String> known = new java.util.ArrayList<>();
    for (String name : split(value)) {
      if (PROPAGATORS.contains(name.toLowerCase(Locale.ROOT))) {
        known.add(name.toLowerCase(Locale.ROOT));
      }
    }
    if (known.size() != split(value).size()) {
      String fallback = known.isEmpty() ? "tracecontext,baggage" : String.join(",", known);
      bad(
          "otel.propagators",
          value,
          "names an unknown propagator (tracecontext, baggage, b3, b3multi, none)",
          fallback);
      sdkProperties.put("otel.propagators", fallback);
    }
  }

  private void checkNonNegativeInt(String key, String fallback) {
    String value = sdkProperties.get(key);
    if (value == null) {
      return;
    }
    try {
      if (Integer.parseInt(value.trim()) >= 0) {
        return;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    bad(key, value, "is not a whole number >= 0", fallback);
    sdkProperties.put(key, fallback);
  }

  private void bad(String key, String value, String problem, String fallback) {
    problems.accept(sources.quoted(key, value) + " " + problem + "; using " + fallback);
  }

  private static List<String> split(String value) {
    List<String> result = new java.util.ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        result.add(part.trim());
      }
    }
    return result;
  }

  private static List<String> sorted(Set<String> values) {
    String[] array = values.toArray(new String[0]);
    Arrays.sort(array);
    return Arrays.asList(array);
  }
}
