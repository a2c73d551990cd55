package io.redwing.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaskTest {

  @Test
  void masksEveryKeyThatNamesASecret() {
    assertThat(SecretMask.show("sentry.dsn", "https://k@sentry.example/1")).isEqualTo("****");
    assertThat(SecretMask.show("redwing.db.password", "hunter2")).isEqualTo("****");
    assertThat(SecretMask.show("otel.exporter.otlp.headers", "Authorization=Bearer x"))
        .isEqualTo("****");
    assertThat(SecretMask.show("my.api.token", "t")).isEqualTo("****");
    assertThat(SecretMask.show("x.client.secret", "s")).isEqualTo("****");
    assertThat(SecretMask.show("x.credentials", "c")).isEqualTo("****");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x.password",
        "x.passwd",
        "x.secret",
        "x.token",
        "x.api.key",
        "sentry.dsn",
        "x.auth.scheme",
        "x.credential",
        "otel.exporter.otlp.traces.headers"
      })
  void eachWordOfASecretsNameMasks(String key) {
    assertThat(SecretMask.isSecret(key)).isTrue();
    assertThat(SecretMask.show(key, "v4lue")).isEqualTo("****");
  }

  @Test
  void keepsOrdinaryValuesButHidesCredentialsInsideUrls() {
    assertThat(SecretMask.show("otel.service.name", "shop")).isEqualTo("shop");
    assertThat(SecretMask.show("otel.exporter.otlp.endpoint", "http://u:pw@collector:4318/v1"))
        .isEqualTo("http://****@collector:4318/v1");
    assertThat(SecretMask.show("otel.exporter.otlp.endpoint", "https://u:Zq/9+K@x@collector/v1"))
        .isEqualTo("https://****@collector/v1");
    assertThat(SecretMask.show("redwing.cache.url", "redis://:S3cret@cache:6379"))
        .isEqualTo("redis://****@cache:6379");
    assertThat(SecretMask.show("otel.exporter.otlp.endpoint", "http://collector:4318"))
        .isEqualTo("http://collector:4318");
  }
}
