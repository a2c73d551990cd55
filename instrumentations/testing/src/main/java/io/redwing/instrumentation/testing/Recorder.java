package io.redwing.instrumentation.testing;

import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.HttpClientRequest;
import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.OperationListener;
import io.redwing.bootstrap.Operations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The listener the tests install in place of agent-core: it keeps every operation with its facts.
 *
 * <p>Loaded only after the bootstrap jar was appended, since it implements a bootstrap interface.
 */
final class Recorder implements OperationListener {
  private final List<RecordedOperation> operations = new CopyOnWriteArrayList<>();
  private final List<AdviceFailure> adviceFailures = new CopyOnWriteArrayList<>();

  record AdviceFailure(String instrumentation, Throwable error) {}

  private Recorder() {}

  static Recorder install() {
    Recorder recorder = new Recorder();
    Operations.install(recorder);
    return recorder;
  }

  @Override
  public Operation startHttpServer(HttpServerRequest request) {
    // Echo the caller's id, as the issue asks of agent-core, so both header paths get checked.
    String id =
        request.requestId == null || request.requestId.isEmpty()
            ? UUID.randomUUID().toString()
            : request.requestId;
    return record(new RecordedOperation(RecordedOperation.Kind.HTTP_SERVER, request, id));
  }

  @Override
  public void endHttpServer(Operation operation, int status, String route, Throwable error) {
    ((RecordedOperation) operation).end(status, route, error);
  }

  @Override
  public void suspendHttpServer(Operation operation) {
    ((RecordedOperation) operation).suspended();
  }

  @Override
  public void resumeHttpServer(Operation operation) {
    ((RecordedOperation) operation).resumed();
  }

  @Override
  public Operation startHttpClient(HttpClientRequest request) {
    return record(new RecordedOperation(RecordedOperation.Kind.HTTP_CLIENT, request, null));
  }

  @Override
  public void endHttpClient(Operation operation, int status, Throwable error) {
    ((RecordedOperation) operation).end(status, null, error);
  }

  @Override
  public Operation startDbClient(DbClientRequest request) {
    return record(new RecordedOperation(RecordedOperation.Kind.DB_CLIENT, request, null));
  }

  @Override
  public void endDbClient(Operation operation, Throwable error) {
    ((RecordedOperation) operation).end(0, null, error);
  }

  @Override
  public void dbReply(Operation operation, Object reply) {
    ((RecordedOperation) operation).reply(reply);
  }

  @Override
  public void adviceFailed(String instrumentation, Throwable error) {
    adviceFailures.add(new AdviceFailure(instrumentation, error));
  }

  private RecordedOperation record(RecordedOperation operation) {
    operations.add(operation);
    return operation;
  }

  List<HttpServerOperation> httpServerOperations() {
    List<HttpServerOperation> result = new ArrayList<>();
    for (RecordedOperation op : operations) {
      if (op.kind == RecordedOperation.Kind.HTTP_SERVER) {
        result.add(op.toHttpServerOperation());
      }
    }
    return result;
  }

  List<DbClientOperation> dbClientOperations() {
    List<DbClientOperation> result = new ArrayList<>();
    for (RecordedOperation op : operations) {
      if (op.kind == RecordedOperation.Kind.DB_CLIENT) {
        result.add(op.toDbClientOperation());
      }
    }
    return result;
  }

  /** Polls until at least {@code count} server operations started and all of them ended. */
  List<HttpServerOperation> awaitHttpServerOperations(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<HttpServerOperation> ops = httpServerOperations();
      if (ops.size() >= count && ops.stream().allMatch(HttpServerOperation::ended)) {
        return ops;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected " + count + " ended server operations within " + timeout + ", got " + ops);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for operations", e);
      }
    }
  }

  List<AdviceFailure> takeAdviceFailures() {
    List<AdviceFailure> taken = new ArrayList<>(adviceFailures);
    adviceFailures.removeAll(taken);
    return taken;
  }

  void clear() {
    operations.clear();
  }
}
