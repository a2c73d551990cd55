package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus with native histograms enabled negotiates the protobuf format with the endpoint
 * of an agent asked for them ({@code REDWING_METRICS_NATIVE_HISTOGRAMS=true}) and stores the
 * request durations as native histograms, which PromQL's histogram functions then read without any
 * {@code _bucket} series.
 */
class NativeHistogramScrapeIT {
  private static final String OWNERS =
      "http_server_request_duration_seconds{job=\"redwing\",http_route=\"/owners/{id}\"}";
  private static final int REQUESTS = 6;

  private static Demo demo;

  /** The default agent: classic histograms only, which that Prometheus stores as it always did. */
  private static Demo classic;

  private static PrometheusServer prometheus;

  @BeforeAll
  static void startDemoAndPrometheus() throws IOException {
    demo =
        Demo.withAgent(
            "native-histogram-demo", Map.of("REDWING_METRICS_NATIVE_HISTOGRAMS", "true"));
    classic = Demo.withAgent("classic-histogram-demo", Map.of());
    Path work = Artifacts.workDirectory("native-histogram-scrape");
    Path config = work.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "scrape_configs:",
            "  - job_name: redwing",
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + demo.metricsPort + "']",
            "  - job_name: classic",
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + classic.metricsPort + "']",
            ""));
    prometheus =
        PrometheusServer.start(
            "prometheus-native", work, config, "--enable-feature=native-histograms");
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (demo != null) {
      demo.close();
    }
    if (classic != null) {
      classic.close();
    }
  }

  @Test
  void requestDurationsArriveAsNativeHistograms() {
    for (int id = 1; id <= REQUESTS; id++) {
      demo.getOk("/owners/" + id, "{\"id\":" + id + ",\"name\":\"Owner " + id + "\"}");
    }

    Await.until(
        "histogram_count of the native histogram == " + REQUESTS,
        Await.EXPORT,
        () ->
            String.valueOf(REQUESTS)
                .equals(prometheus.query("histogram_count(sum(" + OWNERS + "))")));
    // A native sample is a whole histogram: the API shows it under "histogram", with its buckets.
    assertThat(prometheus.queryBody(OWNERS)).contains("\"histogram\":").contains("\"buckets\":");
    assertThat(prometheus.query("histogram_sum(sum(" + OWNERS + "))"))
        .satisfies(sum -> assertThat(Double.parseDouble(sum)).isPositive().isLessThan(60.0));
  }

  @Test
  void histogramQuantileReadsTheNativeHistogramUnderLoad() {
    // rate() needs a histogram that grows between scrapes, so traffic continues while polling.
    String p99 =
        Await.value(
            "p99 from the native histogram",
            Await.EXPORT,
            () -> {
              demo.get("/owners/1");
              return prometheus.query("histogram_quantile(0.99, sum(rate(" + OWNERS + "[10s])))");
            });

    assertThat(Double.parseDouble(p99)).isPositive().isLessThanOrEqualTo(10.0);
  }

  @Test
  void theDefaultAgentKeepsTheBucketSeriesTheDashboardsRead() {
    classic.getOk("/owners/1", "{\"id\":1,\"name\":\"Owner 1\"}");

    String buckets =
        "count(http_server_request_duration_seconds_bucket{job=\"classic\",http_route=\"/owners/{id}\"})";
    Await.until(
        "the classic _bucket series in Prometheus",
        Await.EXPORT,
        () -> prometheus.query(buckets) != null);
    assertThat(Integer.parseInt(prometheus.query(buckets))).isEqualTo(15);
    assertThat(prometheus.queryBody("http_server_request_duration_seconds{job=\"classic\"}"))
        .doesNotContain("\"histogram\":");
  }
}
