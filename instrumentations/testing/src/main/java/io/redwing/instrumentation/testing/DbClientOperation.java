package io.redwing.instrumentation.testing;

import io.redwing.bootstrap.DbClientRequest;

/**
 * A database or cache client operation as the recording listener saw it, copied at one instant.
 *
 * @param request the facts the advice read when the statement started
 * @param ended whether the operation ended yet
 * @param error what the call threw, once ended
 * @param endThread null until ended
 * @param parentContext what the test made current on the starting thread ({@link
 *     InstrumentationExtension#makeCurrent}), standing for the span the operation's would be a
 *     child of; null if nothing was
 * @param reply what {@code Operations.dbReply} reported before the end, if anything
 * @param batch the batch the command was started in, which holds its span; null if none
 */
public record DbClientOperation(
    DbClientRequest request,
    boolean ended,
    Throwable error,
    String startThread,
    String endThread,
    Object parentContext,
    Object reply,
    Object batch) {

  /** True when the command was started inside {@code batch}, a {@link DbBatchOperation#self()}. */
  public boolean inBatch(DbBatchOperation batch) {
    return this.batch != null && this.batch == batch.self();
  }

  @Override
  public String toString() {
    return "DbClientOperation["
        + request.operationName
        + " "
        + request.queryText
        + " batch="
        + request.batchSize
        + " ended="
        + ended
        + " error="
        + error
        + "]";
  }
}
