package io.redwing.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpClientCallsTest {
  private static final String[] PROPAGATION = {
    "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "baggage", "k=v"
  };

  @AfterEach
  void forget() {
    HttpClientCalls.clear();
  }

  @Test
  void keepsOnlyTheHeadersTheApplicationDidNotSetIgnoringCase() {
    assertThat(HttpClientCalls.missing(PROPAGATION, Map.of("TraceParent", List.of("00-own"))))
        .containsExactly("baggage", "k=v");
    assertThat(HttpClientCalls.missing(PROPAGATION, Map.of("accept", List.of("*/*"))))
        .containsExactly(PROPAGATION);
    assertThat(HttpClientCalls.missing(PROPAGATION, null)).containsExactly(PROPAGATION);
  }

  @Test
  void aHeaderThisAgentAddedToTheSameRequestBeforeMayBeReplacedButNotTheApplications() {
    Object request = new Object();
    assertThat(HttpClientCalls.mayAddHeader(request, "traceparent", null)).isTrue();
    assertThat(HttpClientCalls.mayAddHeader(request, "traceparent", PROPAGATION[1])).isFalse();

    HttpClientCalls.injected(request, PROPAGATION);
    assertThat(HttpClientCalls.mayAddHeader(request, "TRACEPARENT", PROPAGATION[1])).isTrue();
    assertThat(HttpClientCalls.mayAddHeader(request, "traceparent", "00-app-set")).isFalse();
  }

  @Test
  void joinsATargetAndARelativeRequestUriButKeepsAnAbsoluteOne() {
    assertThat(HttpClientCalls.url("http://svc:8080", "/a?b=1")).isEqualTo("http://svc:8080/a?b=1");
    assertThat(HttpClientCalls.url("http://svc:8080", "a")).isEqualTo("http://svc:8080/a");
    assertThat(HttpClientCalls.url("http://svc:8080", "https://other/x"))
        .isEqualTo("https://other/x");
    assertThat(HttpClientCalls.url(null, "/a")).isEqualTo("/a");
  }

  @Test
  void withoutAnAgentNoCallStartsAndTheDepthStaysBalanced() {
    assertThat(HttpClientCalls.startCall("test", "GET", "http://svc/")).isNull();
    assertThat(HttpClientCalls.inClientCall()).isTrue();
    HttpClientCalls.callReturned(null, 200, null);
    assertThat(HttpClientCalls.inClientCall()).isFalse();
  }
}
