package io.redwing.agent.telemetry.sql;

import io.redwing.bootstrap.DbClientRequest;

/**
 * Fills in what a JDBC operation's connection URL says (system, address, port, database) where the
 * instrumentation left it out; requests without a URL pass through unchanged.
 */
public final class JdbcRequests {
  private JdbcRequests() {}

  public static DbClientRequest complete(DbClientRequest request) {
    if (request == null || request.connectionUrl == null) {
      return request;
    }
    JdbcUrl url = JdbcUrl.of(request.connectionUrl);
    String system = request.system != null ? request.system : url.system();
    return new DbClientRequest(
        request.instrumentation,
        system != null ? system : JdbcUrl.OTHER,
        request.namespace != null ? request.namespace : url.namespace(),
        request.serverAddress != null ? request.serverAddress : url.host(),
        request.serverPort > 0 ? request.serverPort : url.port(),
        request.operationName,
        request.queryText,
        request.batchSize,
        request.connectionUrl);
  }
}
