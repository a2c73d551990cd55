package io.redwing.agent.telemetry.sql;

/**
 * What may be exported of one SQL statement: its text without literals or comments, its operation
 * ({@code SELECT}, {@code INSERT}, …) and the one table it works on, when it names one simply.
 */
public final class SqlStatement {
  private final String operationName;
  private final String collectionName;
  private final String queryText;

  SqlStatement(String operationName, String collectionName, String queryText) {
    this.operationName = operationName;
    this.collectionName = collectionName;
    this.queryText = queryText;
  }

  /** Upper case, from a fixed set of keywords; null when the statement starts with none. */
  public String operationName() {
    return operationName;
  }

  /** As written, without quotes, schema-qualified if it was; null unless exactly one table. */
  public String collectionName() {
    return collectionName;
  }

  /** Sanitised text; null when there was no statement. */
  public String queryText() {
    return queryText;
  }

  @Override
  public String toString() {
    return operationName + " " + collectionName + ": " + queryText;
  }
}
