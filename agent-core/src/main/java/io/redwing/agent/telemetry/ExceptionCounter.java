package io.redwing.agent.telemetry;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;

/**
 * {@code redwing_exceptions_total}: the exception class is capped on its own first, so that a flood
 * of distinct classes cannot push routes out of the series budget.
 */
final class ExceptionCounter {
  private final CappedSeries<String> types;
  private final CappedSeries<CounterDataPoint> series;

  ExceptionCounter(CappedSeries<String> types, CappedSeries<CounterDataPoint> series) {
    this.types = types;
    this.series = series;
  }

  void count(Throwable error, String route) {
    if (error == null) {
      return;
    }
    series.get(types.get(error.getClass().getName()), route == null ? "" : route).inc();
  }
}
