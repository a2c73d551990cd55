package io.redwing.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.api.TypeInstrumentation;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InstrumentationCatalogTest {

  /**
   * Adding a module without its dependency here or its services line fails this list. A family may
   * register several TypeInstrumentations under one name, so the names are compared as a set.
   */
  @Test
  void everyInstrumentationModuleIsOnTheAgentClassPath() {
    assertThat(
            AgentComponents.allInstrumentations().stream()
                .map(TypeInstrumentation::name)
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(
            "servlet-javax",
            "servlet-jakarta",
            "jdbc",
            "jdbc-pools",
            "http-url-connection",
            "java-http-client",
            "okhttp",
            "apache-httpclient-5",
            "apache-httpclient-4",
            "executors",
            "jedis",
            "lettuce",
            "opentelemetry-instrumentation-annotations",
            "logback",
            "log4j2",
            "jaxrs-jersey",
            "jaxrs-resteasy");
  }
}
