package io.redwing.agent.telemetry;

import io.redwing.bootstrap.HttpServerRequest;
import java.util.List;

/** A server request that ended with an exception, with the facts a Sentry event carries. */
public final class ServerFailure {
  public final Throwable error;
  public final String method;
  public final String route;
  public final int status;
  public final String requestId;
  public final String traceId;
  public final String spanId;
  public final HttpServerRequest request;
  public final String redactedQuery;
  public final List<RequestHistory.Step> steps;
  public final int droppedSteps;

  /** The request's headers as name/value pairs, read as it failed; {@code null} if unread. */
  public final String[] headers;

  /** What the request put aside for its end ({@link RequestHistory#defer}), taken out of it. */
  public final List<Object> deferred;

  ServerFailure(
      Throwable error,
      String method,
      String route,
      int status,
      String requestId,
      String traceId,
      String spanId,
      RequestHistory history,
      String[] headers) {
    this.error = error;
    this.method = method;
    this.route = route;
    this.status = status;
    this.requestId = requestId;
    this.traceId = traceId;
    this.spanId = spanId;
    this.request = history.request;
    this.redactedQuery = history.redactedQuery;
    this.steps = history.steps();
    this.droppedSteps = history.dropped();
    this.deferred = history.takeDeferred();
    this.headers = headers;
  }
}
