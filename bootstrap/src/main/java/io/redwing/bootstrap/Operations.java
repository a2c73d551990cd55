package io.redwing.bootstrap;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The only API inlined advice calls. Every method accepts {@code null}, never throws, and is a
 * cheap no-op until agent-core installs its {@link OperationListener}.
 */
public final class Operations {
  private static volatile OperationListener listener;

  /** The outermost server operation of this thread: filters, forwards and includes nest in it. */
  private static final ThreadLocal<Operation> SERVER = new ThreadLocal<>();

  /**
   * Server operations whose request went async, by request and by async context. Weak keys because
   * containers recycle request objects, and only async requests are ever put here.
   */
  private static final Map<Object, Operation> ASYNC =
      Collections.synchronizedMap(new WeakHashMap<>());

  private Operations() {}

  public static void install(OperationListener newListener) {
    listener = newListener;
  }

  public static void uninstall() {
    listener = null;
    InboundPropagation.fields(null);
    ASYNC.clear();
    // Contexts and operations advice left behind hold spans, and through them a detached agent.
    TaskContexts.clear();
    HttpClientCalls.clear();
    AsyncHttpClientCalls.clear();
    RedisCalls.clear();
  }

  public static boolean installed() {
    return listener != null;
  }

  // ---- HTTP server -------------------------------------------------------------------------

  /** True while this thread is inside a server operation: nested dispatches record nothing. */
  public static boolean inHttpServer() {
    return SERVER.get() != null;
  }

  public static Operation startHttpServer(HttpServerRequest request) {
    OperationListener l = listener;
    if (l == null || request == null || SERVER.get() != null) {
      return null;
    }
    Operation op = safeStart(l, request);
    if (op != null) {
      SERVER.set(op);
    }
    return op;
  }

  /**
   * Which inbound headers beyond the W3C three the configured propagators read (B3's); none unless
   * agent-core sets them.
   */
  public static void inboundPropagationFields(String[] names) {
    InboundPropagation.fields(names);
  }

  /**
   * The request's values of those headers, as name/value pairs, for {@link HttpServerRequest}; null
   * when none are configured or the request carries none. {@code api} is the container's {@code
   * HttpServerRequest} interface.
   */
  public static String[] inboundPropagation(Object request, Class<?> api) {
    return InboundPropagation.read(request, api);
  }

  /** An async dispatch of a request that went async earlier continues its operation. */
  public static Operation resumeHttpServer(Object request) {
    return resumeHttpServer(request, null);
  }

  /**
   * Like {@link #resumeHttpServer(Object)}, also trying {@code wrapped}: containers such as Tomcat
   * hand the async dispatch a wrapper around the request that went async.
   */
  public static Operation resumeHttpServer(Object request, Object wrapped) {
    if (request == null || listener == null || SERVER.get() != null) {
      return null;
    }
    Operation op = ASYNC.get(request);
    if (op == null && wrapped != null) {
      op = ASYNC.get(wrapped);
    }
    OperationListener l = listener;
    if (op != null && l != null) {
      op.asyncPending = false;
      SERVER.set(op);
      try {
        l.resumeHttpServer(op);
      } catch (Throwable t) {
        reportListenerFailure(l, t);
      }
    }
    return op;
  }

  /** The request running on this thread went async: its operation outlives the dispatch. */
  public static void asyncStarted(Object request, Object asyncContext) {
    Operation op = SERVER.get();
    if (op == null) {
      return;
    }
    op.asyncPending = true;
    op.wentAsync = true;
    if (request != null) {
      ASYNC.put(request, op);
    }
    if (asyncContext != null) {
      ASYNC.put(asyncContext, op);
    }
  }

  /**
   * The outermost dispatch returned. Ends the operation unless the request went async, in which
   * case {@link #completeHttpServer} or the exit of a later async dispatch ends it.
   */
  public static void endHttpServer(Operation op, int status, String route, Throwable error) {
    if (op == null) {
      return;
    }
    if (SERVER.get() == op) {
      // set, not remove: the thread's entry stays, so the next request does not allocate one
      SERVER.set(null);
    }
    if (!op.asyncPending) {
      finishHttpServer(op, status, route, error);
      return;
    }
    op.suspendedRoute = route;
    OperationListener l = listener;
    if (l != null) {
      try {
        l.suspendHttpServer(op);
      } catch (Throwable t) {
        reportListenerFailure(l, t);
      }
    }
  }

  /** An async request completed, found by its request or its async context. */
  public static void completeHttpServer(Object key, int status, Throwable error) {
    Operation op = key == null ? null : ASYNC.get(key);
    if (op != null) {
      finishHttpServer(op, status, op.suspendedRoute, error);
    }
  }

  /**
   * The route of a servlet request: a framework's matched pattern (Spring MVC puts a String in a
   * request attribute) wins over the servlet mapping; the default servlet's "/" matched nothing.
   */
  public static String servletRoute(Object frameworkRoute, String mappingPattern) {
    if (frameworkRoute instanceof String) {
      return (String) frameworkRoute;
    }
    return mappingPattern == null || "/".equals(mappingPattern) ? "" : mappingPattern;
  }

  /**
   * The route before Servlet 4, which has no mapping object: a path info means a prefix mapping.
   * Without one the servlet path is an exact mapping's pattern, or the whole path for the default
   * servlet and extension mappings, which must never become a route: {@code exactMapping} says
   * which, from the registered servlet mappings.
   */
  public static String servletRoute(
      Object frameworkRoute, String servletPath, String pathInfo, boolean exactMapping) {
    if (frameworkRoute instanceof String) {
      return (String) frameworkRoute;
    }
    if (servletPath == null) {
      return "";
    }
    if (pathInfo != null) {
      return servletPath + "/*";
    }
    return exactMapping ? servletPath : "";
  }

  /**
   * A framework matched the request this thread serves to {@code route}, a template such as {@code
   * /api/items/{id}}. It wins over Spring MVC's attribute and the servlet mapping; the last call
   * wins, being the innermost framework. Never pass a raw path.
   */
  public static void frameworkRoute(String route) {
    Operation op = SERVER.get();
    if (op != null && route != null) {
      op.frameworkRoute = route;
    }
  }

  /**
   * Jersey matched the request this thread serves: {@code matchedTemplates} are its {@code
   * UriTemplate}s, innermost first, under the application's base path (context and servlet path).
   */
  public static void jaxrsRoute(String basePath, List<?> matchedTemplates) {
    Operation op = SERVER.get();
    if (op == null || matchedTemplates == null) {
      return;
    }
    try {
      op.frameworkRoute = JaxrsRoutes.resolve(basePath, matchedTemplates);
    } catch (Throwable t) {
      OperationListener l = listener;
      if (l != null) {
        reportListenerFailure(l, t);
      }
    }
  }

  /**
   * RESTEasy matched a sub-resource locator ({@code resourceMethod} false) or the resource method
   * ({@code true}) of the request this thread serves: {@code template} is its full {@code @Path}
   * template relative to what matched before it, or to the base path (context and servlet path) of
   * {@code httpRequest}, RESTEasy's, when nothing did.
   */
  public static void restEasyTemplate(Object httpRequest, String template, boolean resourceMethod) {
    Operation op = SERVER.get();
    if (op == null || template == null) {
      return;
    }
    try {
      String before = op.locatorRoute;
      String route =
          JaxrsRoutes.resolve(
              before == null ? JaxrsRoutes.restEasyBasePath(httpRequest) : before,
              Collections.singletonList(template));
      if (resourceMethod) {
        op.frameworkRoute = route;
      } else {
        op.locatorRoute = route;
      }
    } catch (Throwable t) {
      OperationListener l = listener;
      if (l != null) {
        reportListenerFailure(l, t);
      }
    }
  }

  /**
   * A framework turned {@code error}, thrown by the application while serving the request this
   * thread serves, into a response itself: it is the request's error if that response is a 5xx.
   */
  public static void frameworkError(Throwable error) {
    Operation op = SERVER.get();
    if (op != null && error != null) {
      op.frameworkError = error;
    }
  }

  /**
   * At the end of the outermost dispatch: when the request failed (a throwable escaped, or a
   * framework wrote the error response), its headers are kept for the error report. {@code api} is
   * the container's {@code HttpServletRequest} interface; nothing is read for a request that did
   * not fail.
   */
  public static void failedServletRequest(
      Operation op, Object request, Class<?> api, Throwable thrown) {
    if (op != null && (thrown != null || op.frameworkError != null)) {
      op.failedRequestHeaders = ServletHeaders.read(request, api);
    }
  }

  /** A throwable that escaped before the response was committed becomes a 500 for the client. */
  public static int servletStatus(int status, boolean committed, Throwable thrown) {
    return thrown != null && !committed ? 500 : status;
  }

  public static String requestId(Operation op) {
    return op == null ? null : op.requestId();
  }

  private static void finishHttpServer(Operation op, int status, String route, Throwable error) {
    if (!op.claimEnd()) {
      return;
    }
    if (op.wentAsync) {
      synchronized (ASYNC) {
        ASYNC.values().removeIf(o -> o == op);
      }
    }
    String matched = op.frameworkRoute;
    Throwable handled = op.frameworkError;
    Throwable failure = error == null && status >= 500 ? handled : error;
    OperationListener l = listener;
    if (l == null) {
      abandon(op);
      return;
    }
    try {
      l.endHttpServer(op, status, matched != null ? matched : route, failure);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
    }
  }

  /** Ends what {@code op} made current, when the agent that made it is gone. */
  private static void abandon(Operation op) {
    try {
      op.abandon();
    } catch (Throwable ignored) {
      // a detached agent has nowhere to report to; the application must not see it
    }
  }

  // ---- HTTP client -------------------------------------------------------------------------

  public static Operation startHttpClient(HttpClientRequest request) {
    OperationListener l = listener;
    if (l == null || request == null) {
      return null;
    }
    try {
      return l.startHttpClient(request);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
      return null;
    }
  }

  public static String[] propagationHeaders(Operation op) {
    return op == null ? Operation.NO_HEADERS : op.propagationHeaders();
  }

  public static void endHttpClient(Operation op, int status, Throwable error) {
    OperationListener l = listener;
    if (op == null || l == null || !op.claimEnd()) {
      return;
    }
    try {
      l.endHttpClient(op, status, error);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
    }
  }

  public static void httpClientProtocol(Operation op, String version) {
    OperationListener l = listener;
    if (op == null || l == null || version == null) {
      return;
    }
    try {
      l.httpClientProtocol(op, version);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
    }
  }

  // ---- database and cache clients ----------------------------------------------------------

  public static Operation startDbClient(DbClientRequest request) {
    OperationListener l = listener;
    if (l == null || request == null) {
      return null;
    }
    try {
      return l.startDbClient(request);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
      return null;
    }
  }

  public static void endDbClient(Operation op, Throwable error) {
    OperationListener l = listener;
    if (op == null || l == null || !op.claimEnd()) {
      return;
    }
    try {
      l.endDbClient(op, error);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
    }
  }

  /**
   * Drops a started command: it is not observed and its span never ends, so it is not exported. The
   * attempt a Redis cluster redirected elsewhere is dropped, its retry is the command.
   */
  public static void discardDbClient(Operation op) {
    OperationListener l = listener;
    if (op == null || l == null || !op.claimEnd()) {
      return;
    }
    try {
      l.discardDbClient(op);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
    }
  }

  /**
   * Starts a batch of commands sent together (a Redis MULTI/EXEC): one span, no observation of its
   * own, since each command in it is observed; its name and size are known at {@link #endDbBatch}.
   */
  public static Operation startDbBatch(DbClientRequest request) {
    OperationListener l = listener;
    if (l == null || request == null) {
      return null;
    }
    try {
      return l.startDbBatch(request);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
      return null;
    }
  }

  /** Starts a command inside {@code batch}: observed like any other, without a span of its own. */
  public static Operation startDbClientInBatch(DbClientRequest request, Operation batch) {
    OperationListener l = listener;
    if (l == null || request == null) {
      return null;
    }
    try {
      return batch == null ? l.startDbClient(request) : l.startDbClientInBatch(request, batch);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
      return null;
    }
  }

  public static void endDbBatch(Operation batch, String operationName, int size, Throwable error) {
    OperationListener l = listener;
    if (batch == null || l == null || !batch.claimEnd()) {
      return;
    }
    try {
      l.endDbBatch(batch, operationName, size, error);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
    }
  }

  // ---- methods -----------------------------------------------------------------------------

  /**
   * A method listed in {@code otel.instrumentation.methods.include} was entered; its span is
   * current until {@link #endMethod} on this same thread.
   */
  public static Operation startMethod(Class<?> type, String method) {
    OperationListener l = listener;
    if (l == null || type == null || method == null) {
      return null;
    }
    try {
      return l.startMethod(type, method, null, null);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
      return null;
    }
  }

  /**
   * A method annotated with {@code @WithSpan} was entered: {@code descriptor} finds its annotations
   * in agent-core; {@code arguments} are passed only where parameters carry {@code @SpanAttribute}.
   */
  public static Operation startAnnotatedMethod(
      Class<?> type, String method, String descriptor, Object[] arguments) {
    OperationListener l = listener;
    if (l == null || type == null || method == null || descriptor == null) {
      return null;
    }
    try {
      return l.startMethod(type, method, descriptor, arguments);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
      return null;
    }
  }

  /**
   * The method returned {@code returned} or threw {@code error}, on the thread that entered it. A
   * returned {@code CompletionStage} ends the operation when it completes.
   */
  public static void endMethod(Operation op, Throwable error, Object returned) {
    OperationListener l = listener;
    if (op == null || !op.claimEnd()) {
      return;
    }
    if (l == null) {
      abandon(op);
      return;
    }
    try {
      l.endMethod(op, error, returned);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
    }
  }

  // ---- context across threads --------------------------------------------------------------

  /**
   * The context current on this thread, opaque, to be attached where the work continues; null when
   * nothing is current, so that callers store nothing.
   */
  public static Object captureContext() {
    OperationListener l = listener;
    if (l == null) {
      return null;
    }
    try {
      return l.captureContext();
    } catch (Throwable t) {
      reportListenerFailure(l, t);
      return null;
    }
  }

  /**
   * Makes a captured context current on this thread; the token it returns (null when there was
   * nothing to do) must be passed to {@link #detachContext} on this same thread.
   */
  public static Object attachContext(Object context) {
    OperationListener l = listener;
    if (l == null || context == null) {
      return null;
    }
    try {
      return l.attachContext(context);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
      return null;
    }
  }

  /** Restores what was current before the {@link #attachContext} that returned {@code token}. */
  public static void detachContext(Object token) {
    OperationListener l = listener;
    if (token == null) {
      return;
    }
    if (l == null) {
      // attached before a detach: the scope the token is still restores what was current
      if (token instanceof AutoCloseable) {
        try {
          ((AutoCloseable) token).close();
        } catch (Throwable ignored) {
          // nowhere to report to
        }
      }
      return;
    }
    try {
      l.detachContext(token);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
    }
  }

  /** What a command's reply was, before {@link #endDbClient}; for the cache hit/miss counter. */
  public static void dbReply(Operation op, Object reply) {
    OperationListener l = listener;
    if (op == null || l == null) {
      return;
    }
    try {
      l.dbReply(op, reply);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
    }
  }

  // ---- application logs ---------------------------------------------------------------------

  /**
   * A record the application logged, once, after its library's level check. {@code severity} is
   * OpenTelemetry's severity number (9 INFO, 13 WARN, 17 ERROR, 21 FATAL): see {@link LogRecords}.
   */
  public static void logRecord(int severity, String logger, String message, Throwable error) {
    OperationListener l = listener;
    if (l == null) {
      return;
    }
    try {
      l.logRecord(severity, logger, message, error);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
    }
  }

  // ---- advice health -----------------------------------------------------------------------

  /** Called by the exception handler the installer gives every advice in place of silence. */
  public static void adviceFailed(Throwable error, String instrumentation) {
    if (isDriverAnswer(error)) {
      // JDBC advice reading a closed statement's connection or metadata: the driver answers the
      // application's own call the same way. No failure of the advice, so it counts for nothing:
      // ten of them would switch the instrumentation off.
      return;
    }
    // A failed enter or exit may have skipped the call that clears this thread's server
    // operation; left in place, every later request on the thread would look nested and vanish.
    SERVER.remove();
    OperationListener l = listener;
    if (l != null) {
      try {
        l.adviceFailed(instrumentation, error);
      } catch (Throwable ignored) {
        // nothing left to tell: the listener itself is failing
      }
    }
  }

  /** An {@code SQLException}, told by name: java.sql is not visible from the boot class path. */
  private static boolean isDriverAnswer(Throwable error) {
    for (Class<?> type = error.getClass(); type != null; type = type.getSuperclass()) {
      if (type.getName().equals("java.sql.SQLException")) {
        return true;
      }
    }
    return false;
  }

  private static Operation safeStart(OperationListener l, HttpServerRequest request) {
    try {
      return l.startHttpServer(request);
    } catch (Throwable t) {
      reportListenerFailure(l, t);
      return null;
    }
  }

  private static void reportListenerFailure(OperationListener l, Throwable t) {
    try {
      l.adviceFailed("core", t);
    } catch (Throwable ignored) {
      // the listener cannot even report: stay silent rather than break the application
    }
  }
}
