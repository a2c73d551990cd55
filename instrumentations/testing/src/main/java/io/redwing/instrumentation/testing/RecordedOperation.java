package io.redwing.instrumentation.testing;

import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.HttpClientRequest;
import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.Operation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** What the recording listener hands out as an operation, and fills in when it ends. */
final class RecordedOperation extends Operation {
  enum Kind {
    HTTP_SERVER,
    HTTP_CLIENT,
    DB_CLIENT,
    DB_BATCH,
    METHOD
  }

  final Kind kind;
  final Object request;
  private final String requestId;
  private final long startNanos = System.nanoTime();
  private final String startThread = Thread.currentThread().getName();
  private final AtomicInteger suspensions = new AtomicInteger();
  private final AtomicInteger resumptions = new AtomicInteger();
  private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

  /** A W3C traceparent unique to this client operation, as agent-core would hand out. */
  private final String traceparent =
      String.format("00-%032x-%016x-01", 0xabcdef00L + CLIENT_IDS.incrementAndGet(), 1L);

  // Written once by end() before the volatile flag; read after it.
  private int status;
  private String route;
  private Throwable error;
  private long endNanos;
  private String endThread;
  private volatile boolean ended;
  private volatile Object reply;

  /** The protocol version an HTTP client's advice reported, as the library named it. */
  volatile String protocolVersion;

  /** The batch a command was started in, set once by the recorder. */
  volatile RecordedOperation batch;

  private volatile String batchName;
  private volatile int batchSize;

  void endBatch(String operationName, int size, Throwable error) {
    this.batchName = operationName;
    this.batchSize = size;
    end(0, null, error);
  }

  DbBatchOperation toDbBatchOperation() {
    boolean done = ended;
    return new DbBatchOperation(
        (DbClientRequest) request,
        done,
        done ? batchName : null,
        done ? batchSize : -1,
        error,
        parentContext,
        this);
  }

  /** The context current when the operation started, set once by the recorder. */
  volatile Object parentContext;

  RecordedOperation(Kind kind, Object request, String requestId) {
    this.kind = kind;
    this.request = request;
    this.requestId = requestId;
  }

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public String[] propagationHeaders() {
    return kind == Kind.HTTP_CLIENT ? new String[] {"traceparent", traceparent} : new String[0];
  }

  void end(int status, String route, Throwable error) {
    this.status = status;
    this.route = route;
    this.error = error;
    this.endThread = Thread.currentThread().getName();
    this.endNanos = System.nanoTime();
    this.ended = true;
  }

  /** A method's: what it returned, and what was current on its thread before it started. */
  private volatile Object returned;

  Object previousContext;

  void returned(Object value) {
    this.returned = value;
  }

  void reply(Object value) {
    this.reply = value;
  }

  boolean ended() {
    return ended;
  }

  void suspended() {
    suspensions.incrementAndGet();
  }

  void resumed() {
    resumptions.incrementAndGet();
  }

  HttpServerOperation toHttpServerOperation() {
    boolean done = ended;
    return new HttpServerOperation(
        (HttpServerRequest) request,
        requestId,
        done,
        status,
        route,
        error,
        startThread,
        endThread,
        Duration.ofNanos((done ? endNanos : System.nanoTime()) - startNanos),
        suspensions.get(),
        resumptions.get(),
        failedRequestHeaders() == null ? null : List.of(failedRequestHeaders()));
  }

  DbClientOperation toDbClientOperation() {
    boolean done = ended;
    return new DbClientOperation(
        (DbClientRequest) request,
        done,
        error,
        startThread,
        done ? endThread : null,
        parentContext,
        reply,
        batch);
  }

  MethodOperation toMethodOperation() {
    boolean done = ended;
    MethodCall call = (MethodCall) request;
    return new MethodOperation(
        call.type(),
        call.method(),
        call.descriptor(),
        call.arguments() == null ? null : java.util.Arrays.asList(call.arguments()),
        done,
        error,
        done ? returned : null,
        startThread,
        done ? endThread : null,
        this,
        parentContext);
  }

  /** What a method's advice passed at its start. */
  record MethodCall(Class<?> type, String method, String descriptor, Object[] arguments) {}

  HttpClientOperation toHttpClientOperation() {
    boolean done = ended;
    return new HttpClientOperation(
        (HttpClientRequest) request,
        traceparent,
        done,
        status,
        error,
        startThread,
        done ? endThread : null,
        protocolVersion);
  }
}
