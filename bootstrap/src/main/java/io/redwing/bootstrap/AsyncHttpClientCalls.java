package io.redwing.bootstrap;

import java.util.concurrent.CancellationException;

/**
 * What advice on an asynchronous HTTP client whose request outlives the calling method (Apache
 * HttpClient 5's and HttpAsyncClient 4's async clients) keeps without adding fields: the operation
 * of each request, found by the request's future, which ends it when it completes, fails or is
 * cancelled, and by the request's context object, through which the client reports each response on
 * an I/O thread, the final one last, before the future completes.
 */
public final class AsyncHttpClientCalls {
  private static final int MAX_CALLS = 100_000;

  private static final WeakConcurrentMap<Object, Exchange> BY_FUTURE =
      new WeakConcurrentMap<>(MAX_CALLS);
  // The value never refers to its context, so that a context the client dropped can be collected.
  private static final WeakConcurrentMap<Object, Exchange> BY_CONTEXT =
      new WeakConcurrentMap<>(MAX_CALLS);

  private AsyncHttpClientCalls() {}

  private static final class Exchange {
    final Operation op;
    volatile int status;
    volatile Object version;

    Exchange(Operation op) {
      this.op = op;
    }
  }

  /**
   * Starts the operation of a request on the calling thread, to end with {@code future}; returns
   * its propagation header pairs, which the advice adds where the request lacks them. None when the
   * agent does not record, when this is a call nested in another client's call, or when the map is
   * full.
   */
  public static String[] start(
      String instrumentation, String method, String url, Object future, Object context) {
    if (future == null || HttpClientCalls.inClientCall() || !Operations.installed()) {
      return Operation.NO_HEADERS;
    }
    Operation op = Operations.startHttpClient(new HttpClientRequest(instrumentation, method, url));
    if (op == null) {
      return Operation.NO_HEADERS;
    }
    Exchange exchange = new Exchange(op);
    if (!BY_FUTURE.put(future, exchange)) {
      Operations.endHttpClient(op, 0, null);
      return Operation.NO_HEADERS;
    }
    if (context != null) {
      BY_CONTEXT.put(context, exchange);
    }
    return Operations.propagationHeaders(op);
  }

  /**
   * A response arrived for the request of {@code context} over protocol {@code version} (the
   * library's object); a redirect's is replaced later.
   */
  public static void responded(Object context, int status, Object version) {
    if (context == null || BY_CONTEXT.isEmpty()) {
      return;
    }
    Exchange exchange = BY_CONTEXT.get(context);
    if (exchange != null) {
      exchange.status = status;
      exchange.version = version;
    }
  }

  /** {@code future} completed, or failed with {@code error}: its operation, if any, ends. */
  public static void completed(Object future, Throwable error) {
    Exchange exchange = take(future);
    if (exchange != null) {
      if (error == null) {
        HttpClientCalls.protocol(exchange.op, exchange.version);
      }
      Operations.endHttpClient(exchange.op, error == null ? exchange.status : 0, error);
    }
  }

  /** {@code future} was cancelled: its operation, if any, ends with a cancellation. */
  public static void cancelled(Object future) {
    Exchange exchange = take(future);
    if (exchange != null) {
      Operations.endHttpClient(exchange.op, 0, new CancellationException("request cancelled"));
    }
  }

  /**
   * {@code future}'s {@code method} ({@code completed}, {@code failed} or {@code cancel}) was
   * called with {@code argument}: for advice that watches all three with one hook.
   */
  public static void done(Object future, String method, Object argument) {
    if ("cancel".equals(method)) {
      cancelled(future);
    } else if ("failed".equals(method) && argument instanceof Throwable) {
      completed(future, (Throwable) argument);
    } else {
      completed(future, null);
    }
  }

  private static Exchange take(Object future) {
    if (future == null || BY_FUTURE.isEmpty()) {
      return null;
    }
    return BY_FUTURE.take(future);
  }

  /** Forgets every call in flight: {@code detach} does, so no span outlives the agent. */
  static void clear() {
    BY_FUTURE.clear();
    BY_CONTEXT.clear();
  }
}
