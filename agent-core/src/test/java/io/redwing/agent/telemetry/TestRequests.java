package io.redwing.agent.telemetry;

import io.redwing.bootstrap.HttpServerRequest;

/** Server request facts for tests: a GET with only the parts a test cares about. */
final class TestRequests {
  private TestRequests() {}

  static HttpServerRequest get(String path, String query, String traceparent, String requestId) {
    return new HttpServerRequest(
        "test",
        "GET",
        "http",
        "localhost",
        8080,
        path,
        query,
        null,
        "curl/8",
        traceparent,
        null,
        null,
        requestId);
  }
}
