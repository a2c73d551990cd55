package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;

class RedMetricsTest {
  private RedMetrics metrics = new RedMetrics("1.2.3", 100);

  @Test
  void durationsKeepTheConventionsClassicBucketsOnlyByDefault() {
    observeTwice();

    HistogramDataPointSnapshot point = only(RedMetrics.DB_CLIENT_DURATION);
    assertThat(point.getCount()).isEqualTo(2);
    assertThat(point.hasClassicHistogramData()).isTrue();
    assertThat(point.getClassicBuckets().size()).isEqualTo(RedMetrics.DURATION_BUCKETS.length + 1);
    assertThat(point.hasNativeHistogramData()).isFalse();
  }

  @Test
  void nativeBucketsAtSchemaThreeWhenAskedFor() {
    metrics = new RedMetrics("1.2.3", 100, true);
    observeTwice();

    HistogramDataPointSnapshot point = only(RedMetrics.DB_CLIENT_DURATION);
    assertThat(point.hasClassicHistogramData()).isTrue();
    assertThat(point.hasNativeHistogramData()).isTrue();
    assertThat(point.getNativeSchema()).isEqualTo(RedMetrics.NATIVE_SCHEMA).isEqualTo(3);
    // 3 ms is bucket ceil(log2(0.003) * 8) = -67 at schema 3: a cached Integer, unlike -268 at 5
    assertThat(point.getNativeBucketsForPositiveValues().getBucketIndex(0)).isEqualTo(-67);
  }

  @Test
  void poolTimingsFollowTheSameChoice() {
    metrics = new RedMetrics("1.2.3", 100, true);
    new DbPoolTimings(metrics, 100, pool -> "pool-1").used("pool", 3_000_000L);
    assertThat(only(DbPoolTimings.USE_TIME).hasNativeHistogramData()).isTrue();
  }

  /**
   * The client's exemplar sampler, which every counter and gauge has by default, re-arms through a
   * scheduler thread; no dashboard reads their exemplars, so only the durations keep any.
   */
  @Test
  void onlyTheDurationsCarryExemplars() throws Exception {
    Span span =
        Span.wrap(
            SpanContext.create(
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7",
                TraceFlags.getSampled(),
                TraceState.getDefault()));
    try (Scope ignored = span.makeCurrent()) {
      metrics.serverActive.get("GET", "http").inc();
      metrics.serverDuration.get("GET", "500", "/a", "http", "500").observe(0.003);
      metrics.exceptionThrown(new IllegalStateException(), "/a");
      metrics.cacheRead("redis", 1, 1);
      metrics.adviceFailed("jdbc");
      metrics.spanExportFailed(1);
      metrics.logExportFailed(1);
    }

    String openMetrics =
        OpenMetricsTextFormatWriter.create().toDebugString(metrics.registry().scrape());
    assertThat(openMetrics.lines().filter(line -> line.contains(" # {")))
        .isNotEmpty()
        .allMatch(line -> line.startsWith(RedMetrics.HTTP_SERVER_DURATION + "_bucket{"));
  }

  private void observeTwice() {
    metrics
        .dbDuration
        .get("postgresql", "SELECT", "owners", "shop", "db", "5432", "")
        .observe(0.003);
    metrics.dbDuration.get("postgresql", "SELECT", "owners", "shop", "db", "5432", "").observe(0.3);
  }

  private HistogramDataPointSnapshot only(String name) {
    for (MetricSnapshot snapshot : metrics.registry().scrape()) {
      if (snapshot.getMetadata().getPrometheusName().equals(name)
          && snapshot instanceof HistogramSnapshot) {
        assertThat(snapshot.getDataPoints()).hasSize(1);
        return ((HistogramSnapshot) snapshot).getDataPoints().get(0);
      }
    }
    throw new AssertionError("no histogram " + name);
  }
}
