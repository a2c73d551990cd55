package io.redwing.agent.telemetry;

import io.redwing.bootstrap.DbClientRequest;

/**
 * The hook where query text gets sanitised and summarised (operation, collection) before anything
 * exports it. For now it passes the instrumentation's facts through unchanged.
 */
interface DbStatements {
  DbStatements PASS_THROUGH =
      request -> new DbStatement(request.operationName, null, request.queryText);

  DbStatement describe(DbClientRequest request);
}
