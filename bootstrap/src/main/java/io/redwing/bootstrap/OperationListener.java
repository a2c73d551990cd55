package io.redwing.bootstrap;

/**
 * What agent-core does with the facts advice reads. Implementations must never throw: {@link
 * Operations} guards every call anyway, but a listener that throws loses its telemetry.
 */
public interface OperationListener {

  Operation startHttpServer(HttpServerRequest request);

  void endHttpServer(Operation operation, int status, String route, Throwable error);

  Operation startHttpClient(HttpClientRequest request);

  void endHttpClient(Operation operation, int status, Throwable error);

  Operation startDbClient(DbClientRequest request);

  void endDbClient(Operation operation, Throwable error);

  /** Advice of {@code instrumentation} threw {@code error}, which Byte Buddy suppressed. */
  void adviceFailed(String instrumentation, Throwable error);
}
