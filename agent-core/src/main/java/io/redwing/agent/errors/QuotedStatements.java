package io.redwing.agent.errors;

import io.redwing.agent.telemetry.sql.SqlDialect;
import io.redwing.agent.telemetry.sql.SqlSanitizer;

/**
 * Statements that an exception's message quotes in brackets, with their literals removed by the SQL
 * sanitiser. The drivers' exceptions, and what wraps them, export only their codes; this is for
 * those with no {@code SQLException} under them, chiefly an ORM's query that does not parse
 * (Hibernate: {@code unexpected token: = near line 1 [select u from User u where u.name = 'x']}),
 * which is often one built with a value in it. The parser's own words about where it stopped echo a
 * piece of that query outside the brackets ({@code At 1:40 and token 'Brien'}, ANTLR's {@code
 * mismatched input 'Brien'}), so the piece they quote goes too.
 */
final class QuotedStatements {
  private static final SqlSanitizer SANITIZER = new SqlSanitizer(SqlDialect.UNKNOWN);

  /** The first word of an SQL or HQL/JPQL statement. */
  private static final String[] FIRST_WORDS = {
    "select", "insert", "update", "delete", "merge", "with", "from", "call", "upsert", "replace"
  };

  /**
   * What a parser says before the input it stopped at: Hibernate 6 ({@code and token 'x'}) and
   * ANTLR ({@code mismatched input 'x'}, {@code extraneous input 'x'}, {@code no viable alternative
   * at input 'x'}, {@code token recognition error at: 'x'}).
   */
  private static final String[] ECHOES = {"token '", "input '", "error at: '"};

  private QuotedStatements() {}

  static String sanitize(String s) {
    String statements = statements(s);
    return statements.indexOf('\'') < 0 ? statements : withoutEchoes(statements);
  }

  private static String statements(String s) {
    int open = s.indexOf('[');
    StringBuilder out = null;
    int copied = 0;
    while (open >= 0) {
      int start = open + 1;
      while (start < s.length() && Character.isWhitespace(s.charAt(start))) {
        start++;
      }
      if (!startsAStatement(s, start)) {
        open = s.indexOf('[', start);
        continue;
      }
      int end = statementEnd(s, start);
      if (out == null) {
        out = new StringBuilder(s.length());
      }
      out.append(s, copied, start).append(SANITIZER.describe(s.substring(start, end)).queryText());
      copied = end;
      open = s.indexOf('[', end);
    }
    return out == null ? s : out.append(s, copied, s.length()).toString();
  }

  /** The input each echo quotes, as {@code '?'}. */
  private static String withoutEchoes(String s) {
    // where each echo next starts, -1 once none is left: each is looked for again only when the
    // text before its last place has been passed, so a text full of them is scanned once per echo
    int[] next = new int[ECHOES.length];
    for (int k = 0; k < ECHOES.length; k++) {
      next[k] = s.indexOf(ECHOES[k]);
    }
    StringBuilder out = null;
    int copied = 0;
    while (true) {
      int quote = -1;
      for (int k = 0; k < ECHOES.length; k++) {
        if (next[k] >= 0 && next[k] < copied) {
          next[k] = s.indexOf(ECHOES[k], copied);
        }
        int opening = next[k] + ECHOES[k].length() - 1;
        if (next[k] >= 0 && (quote < 0 || opening < quote)) {
          quote = opening;
        }
      }
      if (quote < 0) {
        break;
      }
      if (out == null) {
        out = new StringBuilder(s.length());
      }
      out.append(s, copied, quote + 1).append('?');
      copied = echoEnd(s, quote + 1);
    }
    return out == null ? s : out.append(s, copied, s.length()).toString();
  }

  /**
   * The closing quote: the first one followed by the end of the text or of the line, a space, a
   * comma, or a closing bracket. The input may hold quotes of its own ({@code 'O'Brien'}); one left
   * open runs to the end of the line.
   */
  private static int echoEnd(String s, int start) {
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Scrubber.isLineEnd(c)) {
        return i;
      }
      if (c == '\'') {
        char next = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
        if (next == ' ' || next == ',' || next == ']' || next == ')' || Scrubber.isLineEnd(next)) {
          return i;
        }
      }
    }
    return s.length();
  }

  private static boolean startsAStatement(String s, int i) {
    for (String word : FIRST_WORDS) {
      int after = i + word.length();
      if (s.regionMatches(true, i, word, 0, word.length())
          && after < s.length()
          && !Character.isLetterOrDigit(s.charAt(after))
          && s.charAt(after) != '_'
          && s.charAt(after) != ']') {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code ]} that closes the statement's bracket, outside quoted strings and nested brackets.
   * A string left open (a value with a quote in it, what makes such a query fail to parse) takes
   * the rest of the text up to a stack trace's first frame: where that string ends cannot be told.
   */
  private static int statementEnd(String s, int start) {
    int depth = 0;
    char quote = 0;
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[') {
        depth++;
      } else if (c == ']') {
        if (depth == 0) {
          return i;
        }
        depth--;
      }
    }
    int frame = s.indexOf("\n\tat ", start);
    return frame < 0 ? s.length() : frame;
  }
}
