package io.redwing.agent.telemetry.sql;

import io.redwing.bootstrap.DbClientRequest;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Describes statements with a bounded cache in front of {@link SqlSanitizer}: prepared statements
 * repeat the same text, so most executions are a map lookup.
 */
public final class SqlStatements {
  static final int MAX_CACHED = 512;
  // Longer statements are rarely repeated; the cap bounds the cache to a few MiB at worst.
  private static final int MAX_CACHED_LENGTH = 2048;

  private final Map<SqlDialect, SqlSanitizer> sanitizers = new EnumMap<>(SqlDialect.class);
  private final Map<SqlDialect, ConcurrentHashMap<String, SqlStatement>> caches =
      new EnumMap<>(SqlDialect.class);

  public SqlStatements() {
    for (SqlDialect dialect : SqlDialect.values()) {
      sanitizers.put(dialect, new SqlSanitizer(dialect));
      caches.put(dialect, new ConcurrentHashMap<>());
    }
  }

  /**
   * What a JDBC operation shows: its sanitised SQL, and the operation the instrumentation named
   * (commit, rollback) or else the statement's, as {@code BATCH <operation>} (or {@code BATCH} when
   * the statements differ) for a batch of two or more. The request should be {@link
   * JdbcRequests#complete completed} first, so that its system picks the dialect.
   */
  public SqlStatement describe(DbClientRequest request) {
    SqlStatement statement = describe(request.system, request.queryText);
    String operation =
        request.operationName != null ? request.operationName : statement.operationName();
    if (request.batchSize >= 2) {
      operation = operation == null ? "BATCH" : "BATCH " + operation;
    }
    return new SqlStatement(operation, statement.collectionName(), statement.queryText());
  }

  /** Statements cached now, over all dialects; for tests. */
  int cachedCount() {
    int count = 0;
    for (Map<String, SqlStatement> cache : caches.values()) {
      count += cache.size();
    }
    return count;
  }

  /** The statement {@code sql} as sent to a database of {@code system} (a db.system.name). */
  public SqlStatement describe(String system, String sql) {
    SqlDialect dialect = SqlDialect.of(system);
    SqlSanitizer sanitizer = sanitizers.get(dialect);
    if (sql == null || sql.length() > MAX_CACHED_LENGTH) {
      return sanitizer.describe(sql);
    }
    ConcurrentHashMap<String, SqlStatement> cache = caches.get(dialect);
    SqlStatement known = cache.get(sql);
    if (known != null) {
      return known;
    }
    SqlStatement described = sanitizer.describe(sql);
    // Full: start over rather than keep only the first statements ever seen, which in an app
    // that builds SQL with literals inline would lock the repeated ones out for good.
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(sql, described);
    return described;
  }
}
