package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeTest {

  private static final String TEXT =
      """
      # HELP http_server_request_duration_seconds Duration of HTTP server requests.
      # TYPE http_server_request_duration_seconds histogram
      http_server_request_duration_seconds_bucket{http_request_method="GET",http_route="/owners/{id}",le="0.005"} 2
      http_server_request_duration_seconds_bucket{http_request_method="GET",http_route="/owners/{id}",le="+Inf"} 3
      http_server_request_duration_seconds_count{http_request_method="GET",http_route="/owners/{id}"} 3
      http_server_request_duration_seconds_sum{http_request_method="GET",http_route="/owners/{id}"} 0.0125
      odd_labels{path="a\\"b\\\\c\\nd",other="x,y}"} 1.0 1700000000000
      process_open_fds 42.0
      """;

  @Test
  void readsValuesByNameAndLabelSubset() {
    Scrape scrape = Scrape.parse(TEXT);

    assertThat(scrape.value("http_server_request_duration_seconds_count", Map.of())).isEqualTo(3);
    assertThat(
            scrape.value(
                "http_server_request_duration_seconds_bucket",
                Map.of("http_route", "/owners/{id}", "le", "+Inf")))
        .isEqualTo(3);
    assertThat(scrape.value("http_server_request_duration_seconds_sum", Map.of()))
        .isEqualTo(0.0125);
    assertThat(scrape.value("process_open_fds", Map.of())).isEqualTo(42);
  }

  @Test
  void unescapesLabelValuesAndIgnoresTimestamps() {
    Scrape scrape = Scrape.parse(TEXT);

    Scrape.Sample sample = scrape.samples("odd_labels").get(0);

    assertThat(sample.labels())
        .containsExactly(Map.entry("path", "a\"b\\c\nd"), Map.entry("other", "x,y}"));
    assertThat(sample.value()).isEqualTo(1.0);
  }

  @Test
  void failsWhenASampleIsAmbiguousOrMissing() {
    Scrape scrape = Scrape.parse(TEXT);

    assertThatThrownBy(() -> scrape.value("http_server_request_duration_seconds_bucket", Map.of()))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> scrape.value("absent_metric", Map.of()))
        .isInstanceOf(AssertionError.class);
    assertThat(scrape.valueOrZero("absent_metric", Map.of())).isZero();
  }

  @Test
  void rejectsMalformedLines() {
    assertThatThrownBy(() -> Scrape.parse("broken{a=\"x\" 1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
