package io.redwing.agent.telemetry.sql;

import java.util.Locale;
import java.util.Set;

/**
 * Follows the tokens of one statement to name its operation (the first keyword; after {@code WITH}
 * the main statement's) and its table: the name after {@code FROM}, {@code INTO}, {@code UPDATE} or
 * {@code TABLE} at the statement's own level, unless a join or a comma adds another.
 */
final class SqlSummary {
  private static final Set<String> OPERATIONS =
      Set.of(
          "SELECT",
          "INSERT",
          "UPDATE",
          "DELETE",
          "MERGE",
          "REPLACE",
          "UPSERT",
          "CALL",
          "EXEC",
          "EXECUTE",
          "CREATE",
          "DROP",
          "ALTER",
          "TRUNCATE",
          "GRANT",
          "REVOKE",
          "BEGIN",
          "START",
          "COMMIT",
          "ROLLBACK",
          "SAVEPOINT",
          "RELEASE",
          "SET",
          "SHOW",
          "DESCRIBE",
          "EXPLAIN",
          "ANALYZE",
          "VACUUM",
          "COPY",
          "LOCK",
          "USE",
          "DECLARE",
          "VALUES",
          "TABLE");
  private static final Set<String> MAIN_AFTER_WITH =
      Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE");
  // Words between the keyword and the table that are not the table.
  private static final Set<String> SKIPPED =
      Set.of("ONLY", "IF", "NOT", "EXISTS", "LOW_PRIORITY", "IGNORE", "QUICK", "DELAYED");
  private static final Set<String> JOINS =
      Set.of(
          "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "OUTER", "STRAIGHT_JOIN");
  private static final Set<String> CLAUSES =
      Set.of(
          "WHERE",
          "SET",
          "VALUES",
          "VALUE",
          "GROUP",
          "ORDER",
          "LIMIT",
          "OFFSET",
          "FETCH",
          "HAVING",
          "UNION",
          "EXCEPT",
          "INTERSECT",
          "FOR",
          "USING",
          "ON",
          "SELECT",
          "DEFAULT",
          "RETURNING",
          "WINDOW",
          "AS",
          "PARTITION",
          "WITH");
  private static final int MAX_NAME = 128;

  private enum State {
    START,
    WITH,
    AWAIT_KEYWORD,
    EXPECT_TABLE,
    IN_NAME,
    AFTER_DOT,
    AFTER_AS,
    AFTER_ALIAS,
    DONE
  }

  private State state = State.START;
  private String operation;
  private int level;
  private String keyword;
  private StringBuilder name;
  private boolean several;

  String operation() {
    return operation;
  }

  String collection() {
    return name == null || several || name.length() == 0 || name.length() > MAX_NAME
        ? null
        : name.toString();
  }

  void word(String sql, int start, int stop, boolean quoted, int depth) {
    switch (state) {
      case START:
        if (!quoted) {
          begin(upper(sql, start, stop), depth);
        }
        return;
      case WITH:
        if (!quoted && depth == level) {
          String word = upper(sql, start, stop);
          if (MAIN_AFTER_WITH.contains(word)) {
            begin(word, depth);
          }
        }
        return;
      case AWAIT_KEYWORD:
        if (!quoted
            && depth == level
            && sql.regionMatches(true, start, keyword, 0, stop - start)
            && keyword.length() == stop - start) {
          state = State.EXPECT_TABLE;
        }
        return;
      case EXPECT_TABLE:
        if (quoted) {
          name = new StringBuilder().append(sql, start + 1, Math.max(start + 1, stop - 1));
          state = State.IN_NAME;
        } else if (!SKIPPED.contains(upper(sql, start, stop))) {
          name = new StringBuilder().append(sql, start, stop);
          state = State.IN_NAME;
        }
        return;
      case AFTER_DOT:
        name.append('.');
        if (quoted) {
          name.append(sql, start + 1, Math.max(start + 1, stop - 1));
        } else {
          name.append(sql, start, stop);
        }
        state = State.IN_NAME;
        return;
      case IN_NAME:
      case AFTER_AS:
      case AFTER_ALIAS:
        afterTable(quoted ? "" : upper(sql, start, stop));
        return;
      default:
    }
  }

  void punctuation(char c, int depth) {
    switch (state) {
      case IN_NAME:
        if (c == '.') {
          state = State.AFTER_DOT;
        } else if (c == ',') {
          several = true;
          state = State.DONE;
        } else {
          // FROM f(...) calls a table function; INTO t (...) and TABLE t (...) list columns.
          several = c == '(' && "FROM".equals(keyword);
          state = State.DONE;
        }
        return;
      case AFTER_ALIAS:
        several = c == ',';
        state = State.DONE;
        return;
      case EXPECT_TABLE:
      case AFTER_DOT:
      case AFTER_AS:
        state = State.DONE;
        return;
      default:
    }
  }

  /** A literal or parameter. */
  void other(int depth) {
    if (state != State.START && state != State.WITH && state != State.AWAIT_KEYWORD) {
      state = State.DONE;
    }
  }

  private void afterTable(String word) {
    if (state == State.AFTER_AS) {
      state = State.AFTER_ALIAS;
    } else if (JOINS.contains(word)) {
      several = true;
      state = State.DONE;
    } else if (state == State.IN_NAME && "AS".equals(word)) {
      state = State.AFTER_AS;
    } else if (state == State.IN_NAME && !CLAUSES.contains(word)) {
      state = State.AFTER_ALIAS;
    } else {
      state = State.DONE;
    }
  }

  private void begin(String word, int depth) {
    level = depth;
    if ("WITH".equals(word)) {
      state = State.WITH;
      return;
    }
    if (!OPERATIONS.contains(word)) {
      state = State.DONE;
      return;
    }
    operation = word;
    switch (word) {
      case "SELECT":
      case "DELETE":
        await("FROM");
        break;
      case "INSERT":
      case "REPLACE":
      case "UPSERT":
      case "MERGE":
        await("INTO");
        break;
      case "UPDATE":
        state = State.EXPECT_TABLE;
        break;
      case "CREATE":
      case "DROP":
      case "ALTER":
      case "TRUNCATE":
        await("TABLE");
        break;
      default:
        state = State.DONE;
    }
  }

  private void await(String word) {
    keyword = word;
    state = State.AWAIT_KEYWORD;
  }

  private static String upper(String sql, int start, int stop) {
    return sql.substring(start, Math.min(stop, start + 32)).toUpperCase(Locale.ROOT);
  }
}
