package io.redwing.instrumentation.testing;

import io.redwing.bootstrap.HttpServerRequest;
import java.time.Duration;
import java.util.List;

/**
 * A server operation as the recording listener saw it, copied at one instant.
 *
 * @param request the facts the advice read when the request started
 * @param requestId what the listener answered to {@code Operations.requestId}
 * @param ended whether the operation ended yet; the facts below are only meaningful once it has
 * @param duration from start to end, or to the copy while still running
 * @param suspensions how often a dispatch that went async left the operation
 * @param resumptions how often an async dispatch continued it
 * @param failedRequestHeaders the header name/value pairs kept for the error report of a request
 *     that failed, {@code null} when none were kept
 */
public record HttpServerOperation(
    HttpServerRequest request,
    String requestId,
    boolean ended,
    int status,
    String route,
    Throwable error,
    String startThread,
    String endThread,
    Duration duration,
    int suspensions,
    int resumptions,
    List<String> failedRequestHeaders) {}
