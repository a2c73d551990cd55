package io.redwing.instrumentation.testing;

import io.redwing.bootstrap.HttpClientRequest;

/**
 * An HTTP client operation as the recording listener saw it, copied at one instant.
 *
 * @param request the facts the advice read when the call started
 * @param traceparent the propagation header the listener handed out for this operation
 * @param ended whether the operation ended yet; status and error are only meaningful once it has
 * @param endThread null until ended
 * @param protocolVersion the response's protocol version as the library names it, if reported
 */
public record HttpClientOperation(
    HttpClientRequest request,
    String traceparent,
    boolean ended,
    int status,
    Throwable error,
    String startThread,
    String endThread,
    String protocolVersion) {

  @Override
  public String toString() {
    return "HttpClientOperation["
        + request.instrumentation
        + " "
        + request.method
        + " "
        + request.url
        + " ended="
        + ended
        + " status="
        + status
        + " error="
        + error
        + "]";
  }
}
