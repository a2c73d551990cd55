package io.redwing.bootstrap;

/** The facts an HTTP client instrumentation reads from an outbound request. */
public final class HttpClientRequest {
  public final String instrumentation;
  public final String method;
  public final String url;

  public HttpClientRequest(String instrumentation, String method, String url) {
    this.instrumentation = instrumentation;
    this.method = method;
    this.url = url;
  }
}
