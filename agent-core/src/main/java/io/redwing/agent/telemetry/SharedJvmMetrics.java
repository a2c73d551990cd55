package io.redwing.agent.telemetry;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The Prometheus JVM metrics, registered once per JVM and served through every agent start's
 * registry. Registering them anew after each attach would leak: {@code JvmMetrics} keeps every
 * registry it was given in a static set, and its allocation counter adds GC notification listeners
 * that cannot be removed.
 */
public final class SharedJvmMetrics implements MultiCollector {
  private static PrometheusRegistry jvm;

  private final PrometheusRegistry source;

  private SharedJvmMetrics(PrometheusRegistry source) {
    this.source = source;
  }

  public static synchronized void registerOn(PrometheusRegistry target) {
    if (jvm == null) {
      PrometheusRegistry created = new PrometheusRegistry();
      JvmMetrics.builder().register(created);
      jvm = created;
    }
    target.register(new SharedJvmMetrics(jvm));
  }

  @Override
  public MetricSnapshots collect() {
    return source.scrape();
  }
}
