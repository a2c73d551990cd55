package io.redwing.agent.telemetry;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A duration histogram whose exemplars the agent keeps itself ({@link DurationSeries}) and adds to
 * each scrape. The Prometheus client's own exemplar sampler re-arms itself through a task on a
 * scheduler thread, up to every 90 ms for each series that sees traffic: a thread woken hundreds of
 * times a second on the application's cores, and more the more series are in use.
 */
final class DurationHistogram implements Collector {
  private final Histogram counts;
  private final String[] labelNames;
  private final double[] upperBounds;
  private final ConcurrentHashMap<Labels, DurationSeries> series = new ConcurrentHashMap<>();

  /** Builds {@code histogram} with these classic bounds and label names, and no exemplars. */
  DurationHistogram(Histogram.Builder histogram, double[] upperBounds, String... labelNames) {
    this.upperBounds = upperBounds.clone();
    this.labelNames = labelNames.clone();
    this.counts =
        histogram.classicUpperBounds(upperBounds).labelNames(labelNames).withoutExemplars().build();
  }

  /** Called once per label set: the capped series keep what it returns. */
  DurationSeries labelValues(String... values) {
    DurationSeries made = new DurationSeries(counts.labelValues(values), upperBounds);
    DurationSeries earlier = series.putIfAbsent(Labels.of(labelNames, values), made);
    return earlier != null ? earlier : made;
  }

  @Override
  public HistogramSnapshot collect() {
    HistogramSnapshot snapshot = counts.collect();
    long now = System.currentTimeMillis();
    List<HistogramDataPointSnapshot> points = new ArrayList<>(snapshot.getDataPoints().size());
    for (HistogramDataPointSnapshot point : snapshot.getDataPoints()) {
      DurationSeries held = series.get(point.getLabels());
      Exemplars exemplars = held == null ? Exemplars.EMPTY : held.exemplars(now);
      points.add(exemplars.size() == 0 ? point : withExemplars(point, exemplars));
    }
    return new HistogramSnapshot(snapshot.isGaugeHistogram(), snapshot.getMetadata(), points);
  }

  private static HistogramDataPointSnapshot withExemplars(
      HistogramDataPointSnapshot point, Exemplars exemplars) {
    return new HistogramDataPointSnapshot(
        point.getClassicBuckets(),
        point.getNativeSchema(),
        point.getNativeZeroCount(),
        point.getNativeZeroThreshold(),
        point.getNativeBucketsForPositiveValues(),
        point.getNativeBucketsForNegativeValues(),
        point.getSum(),
        point.getLabels(),
        exemplars,
        point.hasCreatedTimestamp() ? point.getCreatedTimestampMillis() : 0L);
  }

  @Override
  public String getPrometheusName() {
    return counts.getPrometheusName();
  }

  @Override
  public MetricType getMetricType() {
    return counts.getMetricType();
  }

  @Override
  public Set<String> getLabelNames() {
    return counts.getLabelNames();
  }

  @Override
  public MetricMetadata getMetadata() {
    return counts.getMetadata();
  }

  @Override
  public MetricFamilyDescriptor getMetricFamilyDescriptor() {
    return counts.getMetricFamilyDescriptor();
  }
}
