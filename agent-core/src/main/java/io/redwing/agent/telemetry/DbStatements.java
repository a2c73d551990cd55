package io.redwing.agent.telemetry;

import io.redwing.agent.telemetry.redis.RedisCommands;
import io.redwing.agent.telemetry.sql.SqlStatement;
import io.redwing.agent.telemetry.sql.SqlStatements;
import io.redwing.bootstrap.DbClientRequest;
import io.redwing.bootstrap.RedisCalls;

/**
 * The hook where query text gets sanitised and summarised (operation, collection) before anything
 * exports it.
 */
interface DbStatements {
  DbStatements PASS_THROUGH =
      request -> new DbStatement(request.operationName, null, request.queryText);

  DbStatement describe(DbClientRequest request);

  /**
   * Redis commands are named by {@link RedisCommands} and shown without arguments; SQL statements
   * (from JDBC) lose their literals and comments, by the dialect of their system, and get their
   * operation and table from the text; anything else passes through.
   */
  static DbStatements sql() {
    SqlStatements sql = new SqlStatements();
    RedisCommands redis = new RedisCommands();
    return request -> {
      if (RedisCalls.SYSTEM.equals(request.system) && request.connectionUrl == null) {
        String name = redis.operationName(request.operationName);
        return new DbStatement(name, null, redis.queryText(name, request.argumentCount));
      }
      if (request.connectionUrl == null && !"jdbc".equals(request.instrumentation)) {
        return PASS_THROUGH.describe(request);
      }
      SqlStatement statement = sql.describe(request);
      return new DbStatement(
          statement.operationName(), statement.collectionName(), statement.queryText());
    };
  }
}
