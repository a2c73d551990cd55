package io.redwing.bootstrap;

/** The facts a server instrumentation reads from an inbound request, all of them nullable. */
public final class HttpServerRequest {
  public final String instrumentation;
  public final String method;
  public final String scheme;
  public final String serverAddress;
  public final int serverPort;
  public final String path;
  public final String query;
  public final String clientAddress;
  public final String userAgent;
  public final String traceparent;
  public final String tracestate;
  public final String baggage;
  public final String requestId;

  /** Name/value pairs of other propagation headers the configured propagators read (B3's). */
  public final String[] propagation;

  public HttpServerRequest(
      String instrumentation,
      String method,
      String scheme,
      String serverAddress,
      int serverPort,
      String path,
      String query,
      String clientAddress,
      String userAgent,
      String traceparent,
      String tracestate,
      String baggage,
      String requestId) {
    this(
        instrumentation,
        method,
        scheme,
        serverAddress,
        serverPort,
        path,
        query,
        clientAddress,
        userAgent,
        traceparent,
        tracestate,
        baggage,
        requestId,
        null);
  }

  public HttpServerRequest(
      String instrumentation,
      String method,
      String scheme,
      String serverAddress,
      int serverPort,
      String path,
      String query,
      String clientAddress,
      String userAgent,
      String traceparent,
      String tracestate,
      String baggage,
      String requestId,
      String[] propagation) {
    this.instrumentation = instrumentation;
    this.method = method;
    this.scheme = scheme;
    this.serverAddress = serverAddress;
    this.serverPort = serverPort;
    this.path = path;
    this.query = query;
    this.clientAddress = clientAddress;
    this.userAgent = userAgent;
    this.traceparent = traceparent;
    this.tracestate = tracestate;
    this.baggage = baggage;
    this.requestId = requestId;
    this.propagation = propagation;
  }
}
