package io.redwing.bootstrap;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One timed call the agent observes: a server request, a client call, a statement, a command.
 *
 * <p>agent-core subclasses it to carry its span and start time; advice only passes it back.
 */
public abstract class Operation {
  private static final AtomicIntegerFieldUpdater<Operation> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(Operation.class, "ended");
  static final String[] NO_HEADERS = new String[0];

  @SuppressWarnings("UnusedVariable") // read and written through ENDED
  private volatile int ended;

  /** Set while a server request is suspended in async mode and must not end with its dispatch. */
  volatile boolean asyncPending;

  /** Set once the request went async, so that only such operations touch the shared map. */
  volatile boolean wentAsync;

  /** The route the dispatch that went async saw, for the completion that ends it elsewhere. */
  volatile String suspendedRoute;

  /**
   * The route template a framework matched (JAX-RS), set during the request: it wins over the route
   * the outermost dispatch computes, which only knows Spring's attribute and the mapping.
   */
  volatile String frameworkRoute;

  /**
   * The route so far of a JAX-RS request that went through sub-resource locators (RESTEasy): the
   * resource method that finally matches appends its template to it.
   */
  volatile String locatorRoute;

  /** What the application threw when a framework wrote the error response itself (RESTEasy). */
  volatile Throwable frameworkError;

  /** A failed server request's header name/value pairs, read for its error report only. */
  volatile String[] failedRequestHeaders;

  /** The headers of a server request that failed, as name/value pairs; else {@code null}. */
  public final String[] failedRequestHeaders() {
    return failedRequestHeaders;
  }

  /** The request id of a server operation, {@code null} for others or when switched off. */
  public String requestId() {
    return null;
  }

  /**
   * Header name/value pairs to add to an outgoing request so that the callee continues the trace.
   */
  public String[] propagationHeaders() {
    return NO_HEADERS;
  }

  /**
   * The agent was detached while this operation ran: undo what it made current on this thread (a
   * context, the ids in the application's MDC), so that nothing of it outlives the agent there.
   */
  public void abandon() {}

  /** True once, for the caller that gets to end this operation; async paths may race to it. */
  final boolean claimEnd() {
    return ENDED.compareAndSet(this, 0, 1);
  }
}
