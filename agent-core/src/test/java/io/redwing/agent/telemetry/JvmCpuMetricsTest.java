package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class JvmCpuMetricsTest {

  @Test
  void exposesTheProcessorsAvailableToTheJvm() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmCpuMetrics.register(registry);

    String text = PrometheusTextFormatWriter.create().toDebugString(registry.scrape());

    assertThat(text)
        .contains("# TYPE jvm_cpu_count gauge\n")
        .contains("jvm_cpu_count " + Runtime.getRuntime().availableProcessors() + ".0\n");
  }
}
