package io.redwing.bootstrap;

/**
 * What agent-core does with the facts advice reads. Implementations must never throw: {@link
 * Operations} guards every call anyway, but a listener that throws loses its telemetry.
 */
public interface OperationListener {

  Operation startHttpServer(HttpServerRequest request);

  /**
   * Ends a server operation. Usually called on the thread that started it, at the exit of its
   * outermost dispatch; for async requests possibly on another thread, even before {@link
   * #suspendHttpServer} ran on the dispatch thread.
   */
  void endHttpServer(Operation operation, int status, String route, Throwable error);

  /** The dispatch thread leaves a request that went async: undo what start made current. */
  void suspendHttpServer(Operation operation);

  /** An async dispatch continues the request on this thread: make it current again. */
  void resumeHttpServer(Operation operation);

  Operation startHttpClient(HttpClientRequest request);

  void endHttpClient(Operation operation, int status, Throwable error);

  /**
   * The protocol version the response of an HTTP client call came over, as its library names it
   * ({@code HTTP_2}, {@code HTTP/1.1}, ...); called before the call ends.
   */
  default void httpClientProtocol(Operation operation, String version) {}

  Operation startDbClient(DbClientRequest request);

  void endDbClient(Operation operation, Throwable error);

  /**
   * A started command turned out not to be one the application asked for (a Redis cluster's
   * redirect, retried on another node): it is neither observed nor exported.
   */
  default void discardDbClient(Operation operation) {}

  /** A batch of commands began; see {@link Operations#startDbBatch}. */
  default Operation startDbBatch(DbClientRequest request) {
    return null;
  }

  /** A command inside {@code batch}, which holds its span. */
  default Operation startDbClientInBatch(DbClientRequest request, Operation batch) {
    return startDbClient(request);
  }

  /** Ends a batch, named {@code operationName}, of {@code size} commands. */
  default void endDbBatch(Operation batch, String operationName, int size, Throwable error) {}

  /**
   * The reply a database or cache command got, just before its operation ends: agent-core reads
   * only whether it is empty (a cache miss), never its content.
   */
  default void dbReply(Operation operation, Object reply) {}

  /**
   * A traced method was entered: {@code descriptor} is null for a method listed in the
   * configuration and the method's descriptor for one annotated with {@code @WithSpan}; {@code
   * arguments} are non-null only for annotated methods with {@code @SpanAttribute} parameters.
   */
  default Operation startMethod(
      Class<?> type, String method, String descriptor, Object[] arguments) {
    return null;
  }

  /** Ends a method's operation on the thread that started it; see {@link Operations#endMethod}. */
  default void endMethod(Operation operation, Throwable error, Object returned) {}

  /**
   * A record the application logged, on the logging thread, with OpenTelemetry's severity number.
   * Must not log through the application's logging: that would come back here.
   */
  default void logRecord(int severity, String logger, String message, Throwable error) {}

  /** Advice of {@code instrumentation} threw {@code error}, which Byte Buddy suppressed. */
  void adviceFailed(String instrumentation, Throwable error);

  /** The context current on this thread, or null when none is: see {@link Operations}. */
  default Object captureContext() {
    return null;
  }

  /** Makes {@code context} current; returns the token that undoes it, or null. */
  default Object attachContext(Object context) {
    return null;
  }

  /** Undoes the {@link #attachContext} that returned {@code token}, on the same thread. */
  default void detachContext(Object token) {}
}
