package io.redwing.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedwingConfigTest {
  private final List<String> problems = new ArrayList<>();

  private RedwingConfig config(String args, Map<String, String> props, Map<String, String> env) {
    return RedwingConfig.from(ConfigSources.merge(args, props, env, problems::add), problems::add);
  }

  @Test
  void agentArgumentsBeatSystemPropertiesWhichBeatTheEnvironmentWhichBeatsTheFile(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("redwing.properties");
    Files.writeString(
        file,
        """
        otel.service.name=from-file
        redwing.metrics.cardinality.limit=7
        otel.exporter.prometheus.port=1111
        redwing.request.id.enabled=false
        """);
    RedwingConfig config =
        config(
            "OTEL_SERVICE_NAME=from-args",
            Map.of("otel.service.name", "from-props", "otel.exporter.prometheus.port", "2222"),
            Map.of(
                "OTEL_SERVICE_NAME", "from-env",
                "OTEL_EXPORTER_PROMETHEUS_PORT", "3333",
                "REDWING_METRICS_CARDINALITY_LIMIT", "9",
                "REDWING_CONFIG_FILE", file.toString()));

    assertThat(config.serviceName()).isEqualTo("from-args");
    assertThat(config.prometheusPort()).isEqualTo(2222);
    assertThat(config.cardinalityLimit()).isEqualTo(9);
    assertThat(config.requestIdEnabled()).isFalse();
    assertThat(config.sdkProperties()).containsEntry("otel.service.name", "from-args");
    assertThat(problems).isEmpty();
  }

  @Test
  void defaultsAreRedwingsOwn() {
    RedwingConfig config = config(null, Map.of(), Map.of());

    assertThat(config.prometheusHost()).isEqualTo("0.0.0.0");
    assertThat(config.prometheusPort()).isEqualTo(9464);
    assertThat(config.prometheusEnabled()).isTrue();
    assertThat(config.cardinalityLimit()).isEqualTo(2000);
    assertThat(config.requestIdEnabled()).isTrue();
    assertThat(config.nativeHistograms()).isFalse();
    assertThat(config.sanitizedQueryParameters()).contains("token", "client_secret", "pwd");
    assertThat(config.serviceName()).isNotBlank().doesNotContain("unknown");
    assertThat(config.sdkProperties())
        .containsEntry("otel.metrics.exporter", "none")
        .containsEntry("otel.logs.exporter", "none");
    assertThat(problems).isEmpty();
  }

  @Test
  void agentArgumentsKeepCommaSeparatedValuesTogether() {
    RedwingConfig config =
        config(
            "otel.resource.attributes=team=shop,tier=web,OTEL_EXPORTER_PROMETHEUS_PORT=9999",
            Map.of(),
            Map.of());

    assertThat(config.sdkProperties())
        .containsEntry("otel.resource.attributes", "team=shop,tier=web");
    assertThat(config.prometheusPort()).isEqualTo(9999);
  }

  @Test
  void anInstrumentationIsSwitchedOffInEitherSpelling() {
    RedwingConfig byEnv =
        config(null, Map.of(), Map.of("REDWING_INSTRUMENTATION_SERVLET_JAVAX_ENABLED", "false"));
    RedwingConfig byProperty =
        config(null, Map.of("redwing.instrumentation.servlet-jakarta.enabled", "false"), Map.of());

    assertThat(byEnv.instrumentationEnabled("servlet-javax")).isFalse();
    assertThat(byEnv.instrumentationEnabled("servlet-jakarta")).isTrue();
    assertThat(byProperty.instrumentationEnabled("servlet-jakarta")).isFalse();
  }

  @Test
  void aPortThatIsNoNumberIsOneLineAndTheDefault() {
    RedwingConfig config = config(null, Map.of(), Map.of("OTEL_EXPORTER_PROMETHEUS_PORT", "abc"));

    assertThat(config.prometheusPort()).isEqualTo(9464);
    assertThat(problems)
        .containsExactly(
            "OTEL_EXPORTER_PROMETHEUS_PORT=\"abc\" is not a port (0-65535); using 9464");
  }

  @Test
  void anUnknownSamplerIsOneLineAndTheDefaultSampler() {
    RedwingConfig config = config(null, Map.of("otel.traces.sampler", "sometimes"), Map.of());

    assertThat(config.sdkProperties())
        .containsEntry("otel.traces.sampler", "parentbased_always_on");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0))
        .startsWith("otel.traces.sampler=\"sometimes\" is not one of always_off, always_on")
        .endsWith("; using parentbased_always_on");
  }

  @Test
  void aRatioOutsideZeroToOneIsOneLineAndAllSpans() {
    RedwingConfig config =
        config(
            null,
            Map.of(),
            Map.of("OTEL_TRACES_SAMPLER", "traceidratio", "OTEL_TRACES_SAMPLER_ARG", "7"));

    assertThat(config.sdkProperties()).containsEntry("otel.traces.sampler.arg", "1.0");
    assertThat(problems)
        .containsExactly("OTEL_TRACES_SAMPLER_ARG=\"7\" is not a ratio between 0 and 1; using 1.0");
  }

  @Test
  void aMalformedEndpointIsOneLineAndTheDefaultEndpoint() {
    RedwingConfig config =
        config(null, Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318"));

    assertThat(config.sdkProperties())
        .containsEntry("otel.exporter.otlp.endpoint", "http://localhost:4318");
    assertThat(problems)
        .containsExactly(
            "OTEL_EXPORTER_OTLP_ENDPOINT=\"localhost:4318\" is not an http:// or https:// URL"
                + " with a host; using http://localhost:4318");
  }

  @Test
  void aRejectedEndpointsLineHidesItsCredentials() {
    // A scheme typo with a password holding '/' and '@', as generated ones do.
    config(null, Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "htps://otlp:Zq/9@Kx@collector"));

    assertThat(problems)
        .containsExactly(
            "OTEL_EXPORTER_OTLP_ENDPOINT=\"htps://****@collector\" is not an http:// or https://"
                + " URL with a host; using http://localhost:4318");
  }

  @Test
  void anUnreadableConfigFileIsOneLineAndIgnored(@TempDir Path dir) {
    RedwingConfig config =
        config(
            null,
            Map.of(),
            Map.of(
                "REDWING_CONFIG_FILE",
                dir.resolve("missing.properties").toString(),
                "OTEL_SERVICE_NAME",
                "shop"));

    assertThat(config.serviceName()).isEqualTo("shop");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0))
        .startsWith(
            "REDWING_CONFIG_FILE=\"" + dir.resolve("missing.properties") + "\" cannot be read")
        .endsWith("; ignoring it");
  }

  @Test
  void anUnknownLogLevelIsOneLineAndInfo() {
    RedwingConfig config = config(null, Map.of(), Map.of("REDWING_LOG_LEVEL", "loud"));

    assertThat(config.logLevel()).isEqualTo(io.redwing.agent.log.AgentLog.Level.INFO);
    assertThat(problems)
        .containsExactly(
            "REDWING_LOG_LEVEL=\"loud\" is not a log level (error, warn, info, debug); using info");
  }

  @Test
  void theOtlpEndpointOfASignalIsResolvedAsTheExporterResolvesIt() {
    assertThat(config(null, Map.of(), Map.of()).otlpEndpoint("traces"))
        .isEqualTo("http://localhost:4318/v1/traces");
    assertThat(
            config(null, Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://otel:4318/base/"))
                .otlpEndpoint("logs"))
        .isEqualTo("https://otel:4318/base/v1/logs");
    assertThat(
            config(
                    null,
                    Map.of(),
                    Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "https://otel:4318",
                        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces:4318/in"))
                .otlpEndpoint("traces"))
        .isEqualTo("https://traces:4318/in");
  }

  @Test
  void theB3PropagatorsAreKnown() {
    RedwingConfig config = config(null, Map.of(), Map.of("OTEL_PROPAGATORS", "b3multi,b3"));

    assertThat(config.sdkProperties()).containsEntry("otel.propagators", "b3multi,b3");
    assertThat(problems).isEmpty();
  }

  @Test
  void anUnknownPropagatorIsDroppedAndTheKnownOnesKept() {
    RedwingConfig config = config(null, Map.of(), Map.of("OTEL_PROPAGATORS", "tracecontext,xray"));

    assertThat(config.sdkProperties()).containsEntry("otel.propagators", "tracecontext");
    assertThat(problems).hasSize(1);
  }

  @Test
  void aBadCardinalityLimitIsOneLineAndTheDefault() {
    RedwingConfig config =
        config(null, Map.of(), Map.of("REDWING_METRICS_CARDINALITY_LIMIT", "-5"));

    assertThat(config.cardinalityLimit()).isEqualTo(2000);
    assertThat(problems)
        .containsExactly(
            "REDWING_METRICS_CARDINALITY_LIMIT=\"-5\" is not a positive whole number; using 2000");
  }

  @Test
  void sanitizedQueryParametersAreAddedToTheDefaultsCaseInsensitively() {
    RedwingConfig config =
        config(null, Map.of(), Map.of("REDWING_SANITIZE_QUERY_PARAMETERS", "Token, X-Secret"));

    // naming more parameters must not stop the redaction of the default ones
    assertThat(config.sanitizedQueryParameters())
        .contains("x-secret", "token", "password", "api_key")
        .hasSize(RedwingConfig.DEFAULT_SANITIZED_PARAMETERS.size() + 1);
    assertThat(problems).isEmpty();
  }

  @Test
  void attributeValuesAreBoundedUnlessTheUserSaysOtherwise() {
    assertThat(config(null, Map.of(), Map.of()).sdkProperties())
        .containsEntry("otel.attribute.value.length.limit", "8192");
    assertThat(
            config(null, Map.of(), Map.of("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "100"))
                .sdkProperties())
        .containsEntry("otel.attribute.value.length.limit", "100");
  }

  @Test
  void aBadBooleanIsOneLineAndTheDefault() {
    RedwingConfig config =
        config(
            null,
            Map.of(),
            Map.of("REDWING_LOGS_JSON", "yes", "REDWING_LOG_CORRELATION_ENABLED", "off"));

    assertThat(config.logsJson()).isFalse();
    assertThat(config.logCorrelationEnabled()).isTrue();
    assertThat(problems)
        .containsExactlyInAnyOrder(
            "REDWING_LOGS_JSON=\"yes\" is not a boolean (true, false); using false",
            "REDWING_LOG_CORRELATION_ENABLED=\"off\" is not a boolean (true, false); using true");
  }

  @Test
  void logSettingsReadEitherCase() {
    RedwingConfig config =
        config(
            null,
            Map.of(),
            Map.of("REDWING_LOGS_JSON", "TRUE", "REDWING_LOG_CORRELATION_ENABLED", "False"));

    assertThat(config.logsJson()).isTrue();
    assertThat(config.logCorrelationEnabled()).isFalse();
    assertThat(problems).isEmpty();
  }

  @Test
  void metricsExporterNoneTurnsTheEndpointOff() {
    RedwingConfig config = config(null, Map.of(), Map.of("OTEL_METRICS_EXPORTER", "none"));

    assertThat(config.prometheusEnabled()).isFalse();
    assertThat(problems).isEmpty();
  }

  @Test
  void grpcIsOneLineAndHttpProtobufBecauseTheAgentShipsNoGrpcSender() {
    RedwingConfig config = config(null, Map.of(), Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));

    assertThat(config.sdkProperties())
        .containsEntry("otel.exporter.otlp.protocol", "http/protobuf");
    assertThat(problems)
        .containsExactly(
            "OTEL_EXPORTER_OTLP_PROTOCOL=\"grpc\" is not one of http/protobuf; using http/protobuf");
  }

  @Test
  void otlpOverHttpProtobufIsTheDefault() {
    assertThat(config(null, Map.of(), Map.of()).sdkProperties())
        .containsEntry("otel.exporter.otlp.protocol", "http/protobuf");
  }

  @Test
  void aBadBatchSettingIsOneLineAndTheSdkDefault() {
    RedwingConfig config =
        config(
            null,
            Map.of(),
            Map.of("OTEL_BSP_SCHEDULE_DELAY", "soon", "OTEL_BLRP_SCHEDULE_DELAY", "-1"));

    assertThat(config.sdkProperties())
        .containsEntry("otel.bsp.schedule.delay", "5000")
        .containsEntry("otel.blrp.schedule.delay", "1000");
    assertThat(problems)
        .containsExactlyInAnyOrder(
            "OTEL_BSP_SCHEDULE_DELAY=\"soon\" is not a whole number >= 0; using 5000",
            "OTEL_BLRP_SCHEDULE_DELAY=\"-1\" is not a whole number >= 0; using 1000");
  }

  @Test
  void nativeHistogramsAreAskedForByEnvironmentOrProperty() {
    assertThat(
            config(null, Map.of(), Map.of("REDWING_METRICS_NATIVE_HISTOGRAMS", "true"))
                .nativeHistograms())
        .isTrue();
    assertThat(
            config(null, Map.of("redwing.metrics.native.histograms", "TRUE"), Map.of())
                .nativeHistograms())
        .isTrue();
    assertThat(problems).isEmpty();
  }
}
