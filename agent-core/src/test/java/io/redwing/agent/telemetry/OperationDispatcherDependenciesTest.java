package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.HttpClientRequest;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperationDispatcherDependenciesTest {
  private final OperationDispatcher dispatcher =
      new OperationDispatcher(
          new RedMetrics("1.2.3", 2000), OpenTelemetry.noop(), "1.2.3", Set.of(), false);

  @Test
  void databaseAndOutboundCallsShowUpAsDependenciesWithTheirOutcome() {
    dispatcher.endDbClient(
        dispatcher.startDbClient(
            DbClientRequest.jdbc(
                null, "select 1", 0, "jdbc:postgresql://db.local:5433/shop?password=secret")),
        null);
    dispatcher.endHttpClient(
        dispatcher.startHttpClient(new HttpClientRequest("jdk", "GET", "https://api.example.com/")),
        503,
        null);
    dispatcher.endHttpClient(
        dispatcher.startHttpClient(new HttpClientRequest("jdk", "GET", "http://auth.local:8081/")),
        404,
        null);

    String json = dispatcher.dependencies().toJson();
    assertThat(json)
        .contains(
            "{\"type\":\"db\",\"system\":\"postgresql\",\"address\":\"db.local\",\"port\":\"5433\","
                + "\"up\":true,\"calls\":1,\"recentErrorRatio\":0.0,")
        .contains(
            "{\"type\":\"http\",\"system\":\"\",\"address\":\"api.example.com\",\"port\":\"443\","
                + "\"up\":true,\"calls\":1,\"recentErrorRatio\":0.05,")
        // a 4xx is the caller's error, not the dependency's
        .contains(
            "\"address\":\"auth.local\",\"port\":\"8081\",\"up\":true,\"calls\":1,"
                + "\"recentErrorRatio\":0.0,")
        .doesNotContain("secret");
  }
}
