package io.redwing.instrumentation.testing;

import io.redwing.bootstrap.DbClientRequest;

/**
 * A batch of database commands (a Redis MULTI/EXEC) as the recording listener saw it: agent-core
 * makes it the one span of its commands.
 *
 * @param request the facts of the command that opened it
 * @param operationName its name as ended ({@code MULTI}, {@code MULTI SET}); null until ended
 * @param size the number of commands in it; -1 until ended
 * @param self the recorded operation, which its commands point at
 */
public record DbBatchOperation(
    DbClientRequest request,
    boolean ended,
    String operationName,
    int size,
    Throwable error,
    Object parentContext,
    Object self) {}
