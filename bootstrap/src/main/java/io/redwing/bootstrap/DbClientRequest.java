package io.redwing.bootstrap;

/**
 * The facts a database or cache client instrumentation reads for one statement or command.
 *
 * <p>{@code queryText} is raw: agent-core sanitises it before it is exported anywhere. {@code
 * connectionUrl}, when an instrumentation has one (JDBC), is raw too: agent-core parses it once per
 * URL into the system, namespace, address and port that the other fields leave {@code null}.
 */
public final class DbClientRequest {
  public final String instrumentation;
  public final String system;
  public final String namespace;
  public final String serverAddress;
  public final int serverPort;
  public final String operationName;
  public final String queryText;
  public final int batchSize;
  public final String connectionUrl;

  /**
   * The number of arguments a command was sent with (Redis), -1 when unknown: agent-core renders
   * them as {@code ?} and never sees their values.
   */
  public final int argumentCount;

  /**
   * A JDBC statement's or transaction call's facts: what the driver's URL says (system, database,
   * address) is read from it later, in agent-core, so the advice passes the URL alone.
   */
  public static DbClientRequest jdbc(
      String operationName, String queryText, int batchSize, String connectionUrl) {
    return new DbClientRequest(
        "jdbc", null, null, null, 0, operationName, queryText, batchSize, connectionUrl);
  }

  public DbClientRequest(
      String instrumentation,
      String system,
      String namespace,
      String serverAddress,
      int serverPort,
      String operationName,
      String queryText,
      int batchSize) {
    this(
        instrumentation,
        system,
        namespace,
        serverAddress,
        serverPort,
        operationName,
        queryText,
        batchSize,
        null);
  }

  public DbClientRequest(
      String instrumentation,
      String system,
      String namespace,
      String serverAddress,
      int serverPort,
      String operationName,
      String queryText,
      int batchSize,
      String connectionUrl) {
    this(
        instrumentation,
        system,
        namespace,
        serverAddress,
        serverPort,
        operationName,
        queryText,
        batchSize,
        connectionUrl,
        -1);
  }

  public DbClientRequest(
      String instrumentation,
      String system,
      String namespace,
      String serverAddress,
      int serverPort,
      String operationName,
      String queryText,
      int batchSize,
      String connectionUrl,
      int argumentCount) {
    this.instrumentation = instrumentation;
    this.system = system;
    this.namespace = namespace;
    this.serverAddress = serverAddress;
    this.serverPort = serverPort;
    this.operationName = operationName;
    this.queryText = queryText;
    this.batchSize = batchSize;
    this.connectionUrl = connectionUrl;
    this.argumentCount = argumentCount;
  }
}
