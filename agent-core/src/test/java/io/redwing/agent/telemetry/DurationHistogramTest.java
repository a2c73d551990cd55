package io.redwing.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class DurationHistogramTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = InMemoryTracing.sdk(exporter);
  private final RedMetrics metrics = new RedMetrics("1.2.3", 100);

  @Test
  void aSampledSpanBecomesTheExemplarOfItsBucketInTheScrape() throws Exception {
    Span span = sdk.getTracer("test").spanBuilder("request").startSpan();
    series("/a").observe(0.003, span);
    span.end();

    String openMetrics =
        OpenMetricsTextFormatWriter.create().toDebugString(metrics.registry().scrape());
    SpanContext ids = span.getSpanContext();
    assertThat(openMetrics)
        .contains(
            "http_server_request_duration_seconds_bucket{error_type=\"\",http_request_method=\"GET\","
                + "http_response_status_code=\"200\",http_route=\"/a\",url_scheme=\"http\","
                + "le=\"0.005\"} 1 # {span_id=\""
                + ids.getSpanId()
                + "\",trace_id=\""
                + ids.getTraceId()
                + "\"} 0.003 ");
    assertThat(exporter.getFinishedSpanItems().get(0).getAttributes().asMap())
        .containsEntry(
            io.opentelemetry.api.common.AttributeKey.stringKey(DurationSeries.EXEMPLAR_ATTRIBUTE),
            "true");
  }

  @Test
  void spansThatAreNotSampledGiveNoExemplarButAreCounted() {
    Span unsampled = span("00f067aa0ba902b7", TraceFlags.getDefault());
    series("/a").observe(0.003, unsampled);
    series("/a").observe(0.003, Span.getInvalid());
    series("/a").observe(0.003); // no span current

    HistogramDataPointSnapshot point = onlyPoint(metrics);
    assertThat(point.getCount()).isEqualTo(3);
    assertThat(point.getExemplars().size()).isZero();
  }

  @Test
  void eachBucketKeepsItsExemplarUntilItIsSevenSecondsOld() {
    DurationSeries series = series("/a");
    Span first = sampled("00f067aa0ba902b1");
    Span second = sampled("00f067aa0ba902b2");
    Span slow = sampled("00f067aa0ba902b3");
    long t = 1_000_000L;

    series.offer(0.003, first, t);
    series.offer(0.004, second, t + DurationSeries.MIN_RETENTION_MILLIS);
    series.offer(2.0, slow, t + 1);
    assertThat(spanIds(series, t + 2)).containsExactly("00f067aa0ba902b1", "00f067aa0ba902b3");

    series.offer(0.004, second, t + DurationSeries.MIN_RETENTION_MILLIS + 1);
    assertThat(spanIds(series, t + 10_000)).containsExactly("00f067aa0ba902b2", "00f067aa0ba902b3");
  }

  @Test
  void aScrapeLeavesOutExemplarsPastTheirMaximumAge() {
    DurationSeries series = series("/a");
    long t = 1_000_000L;
    series.offer(0.003, sampled("00f067aa0ba902b1"), t);
    series.offer(20.0, sampled("00f067aa0ba902b9"), t + 1_000);

    assertThat(spanIds(series, t + DurationSeries.MAX_RETENTION_MILLIS))
        .containsExactly("00f067aa0ba902b1", "00f067aa0ba902b9");
    assertThat(spanIds(series, t + DurationSeries.MAX_RETENTION_MILLIS + 1))
        .containsExactly("00f067aa0ba902b9");
    assertThat(spanIds(series, t + 1_000 + DurationSeries.MAX_RETENTION_MILLIS + 1)).isEmpty();
  }

  @Test
  void nativeBucketsStayBesideTheExemplars() {
    RedMetrics withNative = new RedMetrics("1.2.3", 100, true);
    withNative
        .serverDuration
        .get("GET", "200", "/a", "http", "")
        .observe(0.003, sampled("00f067aa0ba902b1"));

    HistogramDataPointSnapshot point = onlyPoint(withNative);
    assertThat(point.hasNativeHistogramData()).isTrue();
    assertThat(point.getNativeSchema()).isEqualTo(RedMetrics.NATIVE_SCHEMA);
    assertThat(point.getClassicBuckets().size()).isEqualTo(RedMetrics.DURATION_BUCKETS.length + 1);
    assertThat(point.getCount()).isEqualTo(1);
    assertThat(point.getSum()).isEqualTo(0.003);
    assertThat(point.getExemplars().get(0).getLabels().get(Exemplar.SPAN_ID))
        .isEqualTo("00f067aa0ba902b1");
  }

  @Test
  void eachSeriesHasItsOwnExemplars() {
    Span a = sampled("00f067aa0ba902b1");
    Span b = sampled("00f067aa0ba902b2");
    series("/a").observe(0.003, a);
    series("/b").observe(0.003, b);

    List<String> shown =
        serverDurations(metrics).getDataPoints().stream()
            .map(
                p ->
                    p.getLabels().get("http_route")
                        + "="
                        + p.getExemplars().get(0).getLabels().get(Exemplar.SPAN_ID))
            .collect(Collectors.toList());
    assertThat(shown).containsExactlyInAnyOrder("/a=00f067aa0ba902b1", "/b=00f067aa0ba902b2");
  }

  private DurationSeries series(String route) {
    return metrics.serverDuration.get("GET", "200", route, "http", "");
  }

  private static Span sampled(String spanId) {
    return span(spanId, TraceFlags.getSampled());
  }

  private static Span span(String spanId, TraceFlags flags) {
    return Span.wrap(
        SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736", spanId, flags, TraceState.getDefault()));
  }

  private static List<String> spanIds(DurationSeries series, long nowMillis) {
    return StreamSupport.stream(series.exemplars(nowMillis).spliterator(), false)
        .map(e -> e.getLabels().get(Exemplar.SPAN_ID))
        .collect(Collectors.toList());
  }

  private static HistogramSnapshot serverDurations(RedMetrics from) {
    for (MetricSnapshot snapshot : from.registry().scrape()) {
      if (snapshot.getMetadata().getPrometheusName().equals(RedMetrics.HTTP_SERVER_DURATION)) {
        return (HistogramSnapshot) snapshot;
      }
    }
    throw new AssertionError("no " + RedMetrics.HTTP_SERVER_DURATION);
  }

  private static HistogramDataPointSnapshot onlyPoint(RedMetrics from) {
    List<HistogramDataPointSnapshot> points = serverDurations(from).getDataPoints();
    assertThat(points).hasSize(1);
    return points.get(0);
  }
}
