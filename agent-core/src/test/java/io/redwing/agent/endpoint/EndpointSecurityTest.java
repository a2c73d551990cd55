package io.redwing.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.agent.config.ConfigSources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointSecurityTest {
  @TempDir Path directory;
  private final List<String> problems = new ArrayList<>();

  private EndpointSecurity read(Map<String, String> environment) {
    return EndpointSecurity.from(
        ConfigSources.merge(null, Map.of(), environment, problems::add), problems::add);
  }

  private static String basic(String pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void withoutSettingsTheEndpointIsPlainHttpWithoutAuthentication() {
    EndpointSecurity security = read(Map.of());
    assertThat(security.refusal()).isNull();
    assertThat(security.scheme()).isEqualTo("http");
    assertThat(security.authenticator()).isNull();
    assertThat(security.httpsConfigurator()).isNull();
    assertThat(problems).isEmpty();
  }

  @Test
  void userAndPasswordFromTheEnvironmentTurnOnBasicAuth() {
    EndpointSecurity security =
        read(Map.of("REDWING_METRICS_USERNAME", "prom", "REDWING_METRICS_PASSWORD", "s3cret"));
    assertThat(security.refusal()).isNull();
    assertThat(security.describe()).isEqualTo(" (basic auth)");
    ScrapeAuthenticator authenticator = (ScrapeAuthenticator) security.authenticator();
    assertThat(authenticator.authorizedUser(basic("prom:s3cret"))).isEqualTo("prom");
    assertThat(authenticator.authorizedUser(basic("prom:s3cre"))).isNull();
  }

  @Test
  void thePasswordFileIsReadOnceAndItsContentTrimmed() throws Exception {
    Path file = directory.resolve("password");
    Files.writeString(file, "  s3cret\n");
    EndpointSecurity security =
        read(
            Map.of(
                "REDWING_METRICS_USERNAME",
                "prom",
                "REDWING_METRICS_PASSWORD_FILE",
                file.toString()));
    Files.writeString(file, "changed later");

    ScrapeAuthenticator authenticator = (ScrapeAuthenticator) security.authenticator();
    assertThat(authenticator.authorizedUser(basic("prom:s3cret"))).isEqualTo("prom");
    assertThat(authenticator.authorizedUser(basic("prom:changed later"))).isNull();
  }

  @Test
  void anUnreadablePasswordFileIsARefusalNamingTheKeyAndFile() {
    Path missing = directory.resolve("missing");
    EndpointSecurity security =
        read(
            Map.of(
                "REDWING_METRICS_USERNAME",
                "prom",
                "REDWING_METRICS_PASSWORD_FILE",
                missing.toString()));
    assertThat(security.refusal())
        .startsWith("REDWING_METRICS_PASSWORD_FILE=\"" + missing + "\" cannot be read (")
        .contains("NoSuchFileException");
    assertThat(security.authenticator()).isNull();
  }

  @Test
  void anEmptyPasswordFileIsARefusal() throws Exception {
    Path file = directory.resolve("password");
    Files.writeString(file, "\n");
    assertThat(
            read(Map.of(
                    "REDWING_METRICS_USERNAME",
                    "prom",
                    "REDWING_METRICS_PASSWORD_FILE",
                    file.toString()))
                .refusal())
        .isEqualTo("REDWING_METRICS_PASSWORD_FILE=\"" + file + "\" is empty");
  }

  @Test
  void halfAnAuthenticationSettingIsARefusalNotAnOpenEndpoint() {
    assertThat(read(Map.of("REDWING_METRICS_USERNAME", "prom")).refusal())
        .isEqualTo(
            "REDWING_METRICS_USERNAME is set but neither REDWING_METRICS_PASSWORD nor"
                + " REDWING_METRICS_PASSWORD_FILE is");
    assertThat(read(Map.of("REDWING_METRICS_PASSWORD", "s3cret")).refusal())
        .isEqualTo("REDWING_METRICS_PASSWORD is set but REDWING_METRICS_USERNAME is not");
    assertThat(
            read(Map.of(
                    "REDWING_METRICS_USERNAME", "prom",
                    "REDWING_METRICS_PASSWORD", "s3cret",
                    "REDWING_METRICS_PASSWORD_FILE", "/run/secrets/p"))
                .refusal())
        .isEqualTo(
            "REDWING_METRICS_PASSWORD and REDWING_METRICS_PASSWORD_FILE are both set; set one");
    assertThat(
            read(Map.of("REDWING_METRICS_USERNAME", "a:b", "REDWING_METRICS_PASSWORD", "s"))
                .refusal())
        .isEqualTo("REDWING_METRICS_USERNAME contains ':', which basic auth cannot carry");
  }

  @Test
  void aBadProbesOpenValueKeepsTheProbesClosed() {
    EndpointSecurity security =
        read(
            Map.of(
                "REDWING_METRICS_USERNAME", "prom",
                "REDWING_METRICS_PASSWORD", "s3cret",
                "REDWING_METRICS_PROBES_OPEN", "yes"));
    assertThat(problems)
        .containsExactly(
            "REDWING_METRICS_PROBES_OPEN=\"yes\" is not a boolean (true, false); using false");
    assertThat(((ScrapeAuthenticator) security.authenticator()).probesOpen()).isFalse();
  }

  @Test
  void aPkcs12KeystoreIsRecognisedWithoutAType() throws Exception {
    TestKeystore keystore = TestKeystore.generate(directory, "PKCS12");
    EndpointSecurity security =
        read(
            Map.of(
                "REDWING_METRICS_TLS_KEYSTORE",
                keystore.keystore.toString(),
                "REDWING_METRICS_TLS_KEYSTORE_PASSWORD",
                TestKeystore.PASSWORD));
    assertThat(security.refusal()).isNull();
    assertThat(security.scheme()).isEqualTo("https");
    assertThat(security.httpsConfigurator()).isNotNull();
  }

  @Test
  void aJksKeystoreLoadsWithItsTypeAndAPasswordFile() throws Exception {
    TestKeystore keystore = TestKeystore.generate(directory, "JKS");
    Path passwordFile = directory.resolve("keystore-password");
    Files.writeString(passwordFile, TestKeystore.PASSWORD + "\n");
    EndpointSecurity security =
        read(
            Map.of(
                "REDWING_METRICS_TLS_KEYSTORE", keystore.keystore.toString(),
                "REDWING_METRICS_TLS_KEYSTORE_TYPE", "JKS",
                "REDWING_METRICS_TLS_KEYSTORE_PASSWORD_FILE", passwordFile.toString()));
    assertThat(security.refusal()).isNull();
    assertThat(security.scheme()).isEqualTo("https");
  }

  @Test
  void aWrongKeystorePasswordIsARefusalThatNamesTheProblemButNotThePassword() throws Exception {
    TestKeystore keystore = TestKeystore.generate(directory, "PKCS12");
    EndpointSecurity security =
        read(
            Map.of(
                "REDWING_METRICS_TLS_KEYSTORE",
                keystore.keystore.toString(),
                "REDWING_METRICS_TLS_KEYSTORE_PASSWORD",
                "wrong-password-42"));
    assertThat(security.refusal())
        .isEqualTo(
            "REDWING_METRICS_TLS_KEYSTORE=\""
                + keystore.keystore
                + "\" cannot be used: keystore password was incorrect")
        .doesNotContain("wrong-password-42");
    assertThat(security.httpsConfigurator()).isNull();
  }

  @Test
  void aMissingOrForeignKeystoreIsARefusal() throws Exception {
    Path missing = directory.resolve("missing.p12");
    assertThat(read(Map.of("REDWING_METRICS_TLS_KEYSTORE", missing.toString())).refusal())
        .isEqualTo("REDWING_METRICS_TLS_KEYSTORE=\"" + missing + "\" is not a readable file");

    Path text = directory.resolve("not-a-keystore.p12");
    Files.writeString(text, "hello");
    assertThat(
            read(Map.of(
                    "REDWING_METRICS_TLS_KEYSTORE",
                    text.toString(),
                    "REDWING_METRICS_TLS_KEYSTORE_PASSWORD",
                    "x"))
                .refusal())
        .startsWith("REDWING_METRICS_TLS_KEYSTORE=\"" + text + "\" cannot be used: ");
  }

  @Test
  void aKeystorePasswordWithoutAKeystoreIsARefusal() {
    assertThat(read(Map.of("REDWING_METRICS_TLS_KEYSTORE_PASSWORD", "x")).refusal())
        .isEqualTo("a keystore password or type is set but REDWING_METRICS_TLS_KEYSTORE is not");
  }

  @Test
  void systemPropertiesAndAgentArgumentsUseTheDottedKeys() {
    EndpointSecurity security =
        EndpointSecurity.from(
            ConfigSources.merge(
                "redwing.metrics.username=prom",
                Map.of("redwing.metrics.password", "s3cret"),
                Map.of(),
                problems::add),
            problems::add);
    ScrapeAuthenticator authenticator = (ScrapeAuthenticator) security.authenticator();
    assertThat(authenticator.authorizedUser(basic("prom:s3cret"))).isEqualTo("prom");
  }
}
