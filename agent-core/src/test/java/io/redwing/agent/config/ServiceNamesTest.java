package io.redwing.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceNamesTest {

  @Test
  void aJarLosesItsPathVersionAndExtension() {
    assertThat(ServiceNames.fromCommand("/opt/app/shop-service-2.1.0-SNAPSHOT.jar --port 80"))
        .isEqualTo("shop-service");
  }

  @Test
  void aMainClassBecomesItsSimpleName() {
    assertThat(ServiceNames.fromCommand("com.acme.billing.BillingApp arg")).isEqualTo("BillingApp");
    assertThat(ServiceNames.fromCommand("acme.app/com.acme.Main")).isEqualTo("Main");
  }

  @Test
  void nothingKnownIsStillNotUnknown() {
    assertThat(ServiceNames.fromCommand(null)).isEqualTo("java-application");
    assertThat(ServiceNames.fromCommand("  ")).isEqualTo("java-application");
  }
}
