package io.redwing.bench;

import io.redwing.bootstrap.HttpServerRequest;

/** The facts the servlet advice reads for one request, as the benchmarks start it. */
final class BenchRequests {
  private BenchRequests() {}

  static HttpServerRequest owner() {
    return new HttpServerRequest(
        "servlet-jakarta",
        "GET",
        "http",
        "localhost",
        8080,
        "/owners/42",
        "page=2",
        "127.0.0.1",
        "curl/8.0",
        null,
        null,
        null,
        null);
  }
}
