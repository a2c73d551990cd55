package io.redwing.agent.telemetry;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The processors the JVM may use, under the semantic conventions' name {@code jvm.cpu.count}:
 * client_java's JVM metrics give {@code process_cpu_seconds_total} but no core count, and a CPU
 * alert needs both to compare usage with what the container allows.
 */
public final class JvmCpuMetrics {
  public static final String CPU_COUNT = "jvm_cpu_count";

  private JvmCpuMetrics() {}

  public static void register(PrometheusRegistry registry) {
    GaugeWithCallback.builder()
        .name(CPU_COUNT)
        .help("Processors available to the JVM, as Runtime.availableProcessors() reports them")
        .callback(callback -> callback.call(Runtime.getRuntime().availableProcessors()))
        .register(registry);
  }
}
