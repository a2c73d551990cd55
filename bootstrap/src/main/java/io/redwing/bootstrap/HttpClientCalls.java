package io.redwing.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * What HTTP client advice remembers between calls without adding fields to library classes: how
 * deep this thread is in instrumented client calls (clients call themselves and each other: only
 * the outermost call of a logical request is an operation), the operation of each connection or
 * call object, held weakly, and the operation a client is starting on this thread, for the advice
 * that adds its propagation headers further down the same call.
 */
public final class HttpClientCalls {
  private static final int MAX_CALLS = 100_000;

  /** Stands for a connection whose operation ended, or that is not recorded: never start again. */
  private static final Operation DONE = new Operation() {};

  private static final WeakConcurrentMap<Object, Operation> CALLS =
      new WeakConcurrentMap<>(MAX_CALLS);
  private static final WeakConcurrentMap<Object, String[]> INJECTED =
      new WeakConcurrentMap<>(MAX_CALLS);
  private static volatile HeaderSetter setSystemHeader;
  private static final CallDepth DEPTH = new CallDepth();
  private static final ThreadLocal<Operation> STARTING = new ThreadLocal<>();

  private HttpClientCalls() {}

  /**
   * Enters an instrumented client call; every call must be paired with {@link #exit()}. True when
   * this is the outermost one on the thread and the agent records operations.
   */
  public static boolean enter() {
    return DEPTH.enter() && Operations.installed();
  }

  public static void exit() {
    DEPTH.exit();
  }

  /** True while this thread is inside an instrumented client call. */
  public static boolean inClientCall() {
    return DEPTH.inside();
  }

  // ---- calls that start an operation ----------------------------------------------------

  /**
   * Enters a client call (pair it with {@link #callReturned} or {@link #asyncCallReturned}); the
   * outermost one starts an operation, whose headers advice further down on this thread may add
   * with {@link #takeMissingHeaders}. Null when nested or not recording.
   */
  public static Operation startCall(String instrumentation, String method, String url) {
    if (!enter()) {
      return null;
    }
    Operation op = Operations.startHttpClient(new HttpClientRequest(instrumentation, method, url));
    if (op != null) {
      STARTING.set(op);
    }
    return op;
  }

  /** A synchronous call entered with {@link #startCall} returned a status or threw. */
  public static void callReturned(Operation op, int status, Throwable thrown) {
    exit();
    if (op != null) {
      STARTING.remove();
      Operations.endHttpClient(op, thrown == null ? status : 0, thrown);
    }
  }

  /**
   * A call entered with {@link #startCall} whose operation ends elsewhere (it was {@link #remember
   * remembered} for {@code call}) returned; if it threw, the operation ends here with that.
   */
  public static void callLeft(Operation op, Object call, Throwable thrown) {
    exit();
    if (op == null) {
      return;
    }
    STARTING.remove();
    if (thrown != null) {
      end(take(call), 0, thrown);
    }
  }

  /** The response of {@code op} came over {@code version} (the library's object or text). */
  public static void protocol(Operation op, Object version) {
    if (op != null && version != null) {
      Operations.httpClientProtocol(op, version.toString());
    }
  }

  /** Ends {@code op} with the status, or with what was thrown. */
  public static void end(Operation op, int status, Throwable thrown) {
    Operations.endHttpClient(op, thrown == null ? status : 0, thrown);
  }

  /**
   * An asynchronous call entered with {@link #startCall} returned its future, or threw: the
   * operation ends when the future completes; see {@link #endWhenComplete}.
   */
  public static void asyncCallReturned(
      Operation op,
      CompletionStage<?> response,
      Class<?> responseType,
      String statusMethod,
      Throwable thrown) {
    exit();
    if (op == null) {
      return;
    }
    STARTING.remove();
    if (thrown != null || response == null) {
      Operations.endHttpClient(op, 0, thrown);
    } else {
      endWhenComplete(op, response, responseType, statusMethod);
    }
  }

  /**
   * Adds propagation headers that {@code appHeaders} lack to {@code request}, a request object a
   * client made, with its own {@code setSystemHeader(String, String)} found through {@code
   * inRequestClass} (a lookup made in the request's class, whose package is not exported): the
   * headers of the operation starting on this thread, or, when {@code origin} is given (the request
   * a redirect or retry was made from), the headers that were added to the origin.
   */
  public static void addHeaders(
      MethodHandles.Lookup inRequestClass,
      Object request,
      Map<String, List<String>> appHeaders,
      Object origin)
      throws Throwable {
    String[] headers =
        origin == null ? takeMissingHeaders(appHeaders) : missing(injectedInto(origin), appHeaders);
    if (headers.length == 0 || request == null) {
      return;
    }
    HeaderSetter setter = setSystemHeader;
    if (setter == null || setter.requestClass != inRequestClass.lookupClass()) {
      setter = new HeaderSetter(inRequestClass);
      setSystemHeader = setter;
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      setter.set.invokeExact(request, headers[i], headers[i + 1]);
    }
    injected(request, headers);
  }

  /**
   * A request class's {@code setSystemHeader}, its receiver type widened once to Object: an exact
   * invocation of a handle held in a field then costs no type adaptation per call, which {@code
   * invoke} on the unadapted handle did on every header of every request.
   */
  private static final class HeaderSetter {
    final Class<?> requestClass;
    final MethodHandle set;

    HeaderSetter(MethodHandles.Lookup inRequestClass) throws ReflectiveOperationException {
      requestClass = inRequestClass.lookupClass();
      set =
          inRequestClass
              .findVirtual(
                  requestClass,
                  "setSystemHeader",
                  MethodType.methodType(void.class, String.class, String.class))
              .asType(MethodType.methodType(void.class, Object.class, String.class, String.class));
    }
  }

  /**
   * True if {@code request} may take header {@code name}: the application did not set it ({@code
   * value} is null), or its value is one this agent added on an earlier execution of the same
   * request object, which must not be mistaken for the application's own.
   */
  public static boolean mayAddHeader(Object request, String name, String value) {
    if (value == null) {
      return true;
    }
    String[] earlier = INJECTED.get(request);
    if (earlier == null) {
      return false;
    }
    for (int i = 0; i + 1 < earlier.length; i += 2) {
      if (earlier[i].equalsIgnoreCase(name) && earlier[i + 1].equals(value)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The full URL of a request sent to {@code target} (a scheme://host:port, may be null) with
   * {@code requestUri}, which may already be absolute.
   */
  public static String url(Object target, String requestUri) {
    if (requestUri == null) {
      return target == null ? null : String.valueOf(target);
    }
    if (target == null || requestUri.startsWith("http://") || requestUri.startsWith("https://")) {
      return requestUri;
    }
    return target + (requestUri.startsWith("/") ? requestUri : "/" + requestUri);
  }

  /** Remembers the propagation headers added to a request object, for the requests it begets. */
  public static void injected(Object request, String[] headers) {
    if (request != null && headers != null && headers.length > 0) {
      INJECTED.put(request, headers);
    }
  }

  /** The headers added to {@code request} (a redirect's origin, say), or none. */
  public static String[] injectedInto(Object request) {
    String[] headers = INJECTED.get(request);
    return headers == null ? Operation.NO_HEADERS : headers;
  }

  // ---- one operation per call object ------------------------------------------------------

  /** Remembers the operation of a call object (an OkHttp call, say) until {@link #take}. */
  public static void remember(Object call, Operation op) {
    if (call != null && op != null) {
      CALLS.put(call, op);
    }
  }

  /** The operation remembered for {@code call}, forgotten; null if none. */
  public static Operation take(Object call) {
    Operation op = CALLS.get(call);
    if (op == null || op == DONE) {
      return null;
    }
    CALLS.remove(call);
    return op;
  }

  /** The operation remembered for {@code call}, still remembered; null if none. */
  public static Operation get(Object call) {
    Operation op = CALLS.get(call);
    return op == DONE ? null : op;
  }

  // ---- propagation headers down the same call ---------------------------------------------

  /** {@code op} is starting on this thread: advice further down may add its headers. */
  public static void starting(Operation op) {
    STARTING.set(op);
  }

  public static void started() {
    STARTING.remove();
  }

  /**
   * The propagation header pairs of the operation starting on this thread that the application's
   * own headers lack (names compared ignoring case); taken, so that one request gets them once.
   */
  public static String[] takeMissingHeaders(Map<String, List<String>> appHeaders) {
    Operation op = STARTING.get();
    if (op == null) {
      return Operation.NO_HEADERS;
    }
    STARTING.remove();
    return missing(Operations.propagationHeaders(op), appHeaders);
  }

  /** The pairs of {@code headers} whose name {@code appHeaders} lacks, ignoring case. */
  public static String[] missing(String[] headers, Map<String, List<String>> appHeaders) {
    if (headers.length == 0 || appHeaders == null || appHeaders.isEmpty()) {
      return headers;
    }
    String[] kept = new String[headers.length];
    int n = 0;
    for (int i = 0; i + 1 < headers.length; i += 2) {
      if (!containsIgnoringCase(appHeaders, headers[i])) {
        kept[n++] = headers[i];
        kept[n++] = headers[i + 1];
      }
    }
    if (n == headers.length) {
      return headers;
    }
    String[] result = new String[n];
    System.arraycopy(kept, 0, result, 0, n);
    return result;
  }

  private static boolean containsIgnoringCase(Map<String, List<String>> headers, String name) {
    for (String key : headers.keySet()) {
      if (key != null && key.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  // ---- HttpURLConnection ------------------------------------------------------------------

  /**
   * A call on a JDK {@code HttpURLConnection} ({@code connect}, {@code getOutputStream}, {@code
   * getInputStream}) is entered: the first one of a connection starts its operation and adds the
   * propagation headers the application did not set. Null when not the outermost call, or when the
   * connection was connected before the agent saw it (it was opened before an attach).
   */
  public static Operation connectionCall(HttpURLConnection connection, boolean connected) {
    if (connection == null || !enter()) {
      return null;
    }
    Operation known = CALLS.get(connection);
    if (known != null) {
      return known == DONE ? null : known;
    }
    if (connected) {
      CALLS.put(connection, DONE);
      return null;
    }
    Operation op =
        Operations.startHttpClient(
            new HttpClientRequest(
                "http-url-connection",
                connection.getRequestMethod(),
                String.valueOf(connection.getURL())));
    if (op == null) {
      return null;
    }
    CALLS.put(connection, op);
    String[] headers = Operations.propagationHeaders(op);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      if (connection.getRequestProperty(headers[i]) == null) {
        connection.setRequestProperty(headers[i], headers[i + 1]);
      }
    }
    return op;
  }

  /**
   * The call entered with {@link #connectionCall} returns. The operation ends once the response
   * arrived ({@code getInputStream} returned, or failed with a status the JDK turns into an
   * exception, such as 404) or the call failed without one (refused, timed out, reset).
   */
  public static void connectionCallDone(
      HttpURLConnection connection,
      Operation op,
      boolean responseCall,
      int responseCode,
      Throwable thrown) {
    exit();
    if (op == null || (!responseCall && thrown == null)) {
      return;
    }
    CALLS.put(connection, DONE);
    if (responseCode > 0) {
      Operations.endHttpClient(op, responseCode, null);
    } else {
      Operations.endHttpClient(op, 0, thrown);
    }
  }

  // ---- completion of async calls ----------------------------------------------------------

  /**
   * Ends {@code op} when {@code response} completes; the status is read from the completed value
   * with {@code statusMethod} (a public no-argument method returning int, such as {@code
   * java.net.http.HttpResponse.statusCode}).
   */
  public static void endWhenComplete(
      Operation op, CompletionStage<?> response, Class<?> responseType, String statusMethod) {
    if (op == null || response == null) {
      return;
    }
    response.whenComplete(new Completion(op, responseType, statusMethod));
  }

  private static final class Completion implements BiConsumer<Object, Throwable> {
    private final Operation op;
    private final Class<?> responseType;
    private final String statusMethod;

    Completion(Operation op, Class<?> responseType, String statusMethod) {
      this.op = op;
      this.responseType = responseType;
      this.statusMethod = statusMethod;
    }

    @Override
    public void accept(Object response, Throwable error) {
      int status = 0;
      if (response != null && responseType != null) {
        Object value = call(response, statusMethod);
        status = value instanceof Integer ? (Integer) value : 0;
        // java.net.http.HttpResponse.version(); a response type without one gives null
        protocol(op, call(response, "version"));
      }
      Operations.endHttpClient(op, status, unwrap(error));
    }

    private Object call(Object response, String method) {
      try {
        Method m = responseType.getMethod(method);
        return m.invoke(response);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }

  /** The cause a CompletableFuture wrapped into a CompletionException, as the caller sees it. */
  static Throwable unwrap(Throwable error) {
    if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
      return error.getCause();
    }
    return error;
  }

  /** Forgets everything; for tests. */
  static void clear() {
    CALLS.clear();
    INJECTED.clear();
    DEPTH.reset();
    STARTING.remove();
  }
}
