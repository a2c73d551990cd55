package io.redwing.agent.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One series of a duration histogram, and its exemplars: for each classic bucket the latest sampled
 * span observed into it, replaced once it has been held for {@link #MIN_RETENTION_MILLIS} and left
 * out of scrapes after {@link #MAX_RETENTION_MILLIS} (the Prometheus client's own defaults). An
 * observation whose bucket holds a fresh exemplar reads the clock and one slot, and allocates
 * nothing.
 */
final class DurationSeries {
  static final long MIN_RETENTION_MILLIS = 7_000;
  static final long MAX_RETENTION_MILLIS = 70_000;

  /** What the Prometheus client's OpenTelemetry support sets on an exemplar's span. */
  static final String EXEMPLAR_ATTRIBUTE = "exemplar";

  private final DistributionDataPoint counts;
  private final double[] upperBounds;

  /** One slot per bound, and the last for +Inf. */
  private final AtomicReferenceArray<Exemplar> latest;

  DurationSeries(DistributionDataPoint counts, double[] upperBounds) {
    this.counts = counts;
    this.upperBounds = upperBounds;
    this.latest = new AtomicReferenceArray<>(upperBounds.length + 1);
  }

  /** Observes with the current span as the exemplar, if it is sampled. */
  void observe(double seconds) {
    observe(seconds, Span.current());
  }

  void observe(double seconds, Span span) {
    counts.observe(seconds);
    if (span.getSpanContext().isSampled()) {
      offer(seconds, span, System.currentTimeMillis());
    }
  }

  /** {@code span} is sampled: it becomes its bucket's exemplar unless a fresh one is held. */
  void offer(double seconds, Span span, long nowMillis) {
    int bucket = bucket(seconds);
    Exemplar held = latest.get(bucket);
    if (held == null || nowMillis - held.getTimestampMillis() > MIN_RETENTION_MILLIS) {
      SpanContext context = span.getSpanContext();
      Labels ids =
          Labels.of(Exemplar.TRACE_ID, context.getTraceId(), Exemplar.SPAN_ID, context.getSpanId());
      latest.set(bucket, new Exemplar(seconds, ids, nowMillis));
      // so that a tail sampler can keep the traces the metrics link to
      span.setAttribute(EXEMPLAR_ATTRIBUTE, "true");
    }
  }

  private int bucket(double seconds) {
    int i = 0;
    while (i < upperBounds.length && seconds > upperBounds[i]) {
      i++;
    }
    return i;
  }

  /** The exemplars a scrape at {@code nowMillis} shows. */
  Exemplars exemplars(long nowMillis) {
    List<Exemplar> shown = new ArrayList<>(latest.length());
    for (int i = 0; i < latest.length(); i++) {
      Exemplar exemplar = latest.get(i);
      if (exemplar != null && nowMillis - exemplar.getTimestampMillis() <= MAX_RETENTION_MILLIS) {
        shown.add(exemplar);
      }
    }
    return shown.isEmpty() ? Exemplars.EMPTY : Exemplars.of(shown);
  }
}
