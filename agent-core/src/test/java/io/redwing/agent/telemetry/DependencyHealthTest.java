package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DependencyHealthTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final DependencyHealth health = new DependencyHealth(now::get);
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private String scrape() throws Exception {
    return PrometheusTextFormatWriter.create().toDebugString(registry.scrape());
  }

  @Test
  void aDependencyWhoseRecentCallsMostlyFailIsDownAndRecoversWithSuccesses() throws Exception {
    health.register(registry);
    for (int i = 0; i < 20; i++) {
      health.record("db", "postgresql", "db.internal", "5432", true);
    }
    String up =
        "redwing_dependency_up{db_system_name=\"postgresql\",dependency_type=\"db\","
            + "server_address=\"db.internal\",server_port=\"5432\"}";
    assertThat(scrape()).contains(up + " 1.0\n");

    now.set(2_000);
    for (int i = 0; i < 20; i++) {
      health.record("db", "postgresql", "db.internal", "5432", false);
    }
    assertThat(scrape()).contains(up + " 0.0\n");
    assertThat(health.toJson())
        .startsWith(
            "[{\"type\":\"db\",\"system\":\"postgresql\",\"address\":\"db.internal\","
                + "\"port\":\"5432\",\"up\":false,\"calls\":40,\"recentErrorRatio\":0.642,"
                + "\"lastSuccessMillis\":1000,\"lastErrorMillis\":2000}]");

    for (int i = 0; i < 20; i++) {
      health.record("db", "postgresql", "db.internal", "5432", true);
    }
    assertThat(scrape()).contains(up + " 1.0\n");
  }

  @Test
  void keepsEachAddressApartAndIgnoresCallsWithoutOne() throws Exception {
    health.register(registry);
    health.record("http", "", "api.example.com", "443", false);
    health.record("http", "", "auth.example.com", "443", true);
    health.record("db", "redis", "", "6379", false);

    String text = scrape();
    assertThat(text)
        .contains(
            "redwing_dependency_up{db_system_name=\"\",dependency_type=\"http\","
                + "server_address=\"api.example.com\",server_port=\"443\"} 1.0\n")
        .contains("server_address=\"auth.example.com\"")
        .doesNotContain("redis");
  }

  @Test
  void keepsAtMostTheCappedNumberOfDependencies() {
    for (int i = 0; i < DependencyHealth.MAX_DEPENDENCIES + 10; i++) {
      health.record("http", "", "host-" + i, "80", true);
    }
    assertThat(health.toJson().split("\"type\"")).hasSize(DependencyHealth.MAX_DEPENDENCIES + 1);
    assertThat(health.toJson()).contains("\"host-0\"").doesNotContain("\"host-70\"");
  }

  @Test
  void escapesAddressesInJson() {
    health.record("http", "", "we\"ird\\host", "80", true);
    assertThat(health.toJson()).contains("\"address\":\"we\\\"ird\\\\host\"");
  }
}
