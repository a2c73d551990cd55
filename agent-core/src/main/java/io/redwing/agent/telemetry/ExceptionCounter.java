package io.redwing.agent.telemetry;

import io.prometheus.metrics.core.metrics.Counter;

/**
 * {@code redwing_exceptions_total}: the exception class is capped on its own first, so that a flood
 * of distinct classes cannot push routes out of the series budget.
 */
final class ExceptionCounter {
  private final Counter counter;
  private final CappedLabels types;
  private final CappedLabels series;

  ExceptionCounter(Counter counter, CappedLabels types, CappedLabels series) {
    this.counter = counter;
    this.types = types;
    this.series = series;
  }

  void count(Throwable error, String route) {
    if (error == null) {
      return;
    }
    String type = types.admit(error.getClass().getName())[0];
    counter.labelValues(series.admit(type, route == null ? "" : route)).inc();
  }
}
