package io.redwing.agent.telemetry;

/**
 * What a database span and metric show of one statement. {@link DbStatements} makes it from the raw
 * facts; the JDBC issue replaces that step with a real sanitiser.
 */
final class DbStatement {
  private final String operationName;
  private final String collectionName;
  private final String queryText;

  DbStatement(String operationName, String collectionName, String queryText) {
    this.operationName = operationName;
    this.collectionName = collectionName;
    this.queryText = queryText;
  }

  String operationName() {
    return operationName;
  }

  String collectionName() {
    return collectionName;
  }

  String queryText() {
    return queryText;
  }
}
