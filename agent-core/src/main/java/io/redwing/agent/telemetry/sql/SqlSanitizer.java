package io.redwing.agent.telemetry.sql;

/**
 * Removes every literal and comment from a SQL statement in one pass, without regular expressions:
 * strings (with doubled or, where the dialect has them, backslash-escaped quotes), {@code E''},
 * {@code N''}, {@code X''}, {@code B''} and {@code _charset''} strings, Oracle's {@code q'[...]'},
 * dollar-quoted strings, numbers and hex literals all become {@code ?}; lists of them in {@code IN
 * (...)} become {@code IN (?)}; whitespace runs become one space. Where a server setting decides
 * whether backslashes escape, and it would change where a string ends, the rest of the statement is
 * one literal. Statements longer than {@link #MAX_LENGTH} characters are cut first, so the cost is
 * bounded; a literal the cut leaves open runs to the end and is removed. The same pass finds the
 * operation and, when simple, the table.
 */
public final class SqlSanitizer {
  /** Longer statements are cut to this many characters before anything else. */
  public static final int MAX_LENGTH = 32 * 1024;

  private final SqlDialect dialect;

  public SqlSanitizer(SqlDialect dialect) {
    this.dialect = dialect;
  }

  /** Sanitises {@code sql} and summarises it; null in, all-null out. */
  public SqlStatement describe(String sql) {
    if (sql == null) {
      return new SqlStatement(null, null, null);
    }
    return new Pass(sql, dialect).run();
  }

  /** One statement's scan: the output so far and the state of the IN-list collapse. */
  private static final class Pass {
    private final String sql;
    private final int end;
    private final SqlDialect dialect;
    private final StringBuilder out;
    private final SqlSummary summary = new SqlSummary();
    private boolean pendingSpace;
    private int depth;
    private boolean afterIn;
    // Where the list after "IN (" starts in the output while only literals and commas follow.
    private int inListStart = -1;
    // The last word was IDENTIFIED / the last two were IDENTIFIED BY: Oracle's password comes next
    // as a bare or double-quoted word, not a string, and is a literal all the same.
    private boolean afterIdentified;
    private boolean passwordNext;
    // The first backslash at or after the last string start checked; end when there is none.
    private int nextBackslash = -1;

    Pass(String sql, SqlDialect dialect) {
      this.sql = sql;
      this.end = Math.min(sql.length(), MAX_LENGTH);
      this.dialect = dialect;
      this.out = new StringBuilder(Math.min(end, 1024));
    }

    SqlStatement run() {
      int i = 0;
      while (i < end) {
        char c = sql.charAt(i);
        char next = i + 1 < end ? sql.charAt(i + 1) : '\0';
        if (Character.isWhitespace(c)) {
          pendingSpace = true;
          i++;
        } else if ((c == '-' && next == '-') || (c == '#' && dialect == SqlDialect.MYSQL)) {
          i = lineEnd(i);
          pendingSpace = true;
        } else if (c == '/' && next == '*') {
          i = blockCommentEnd(i);
          pendingSpace = true;
        } else if (c == '\'') {
          i = plainStringEnd(i, '\'', dialect.backslashEscapes);
          literal();
        } else if (c == '"' && dialect.doubleQuotedStrings) {
          i = plainStringEnd(i, '"', true);
          literal();
        } else if (c == '"' || c == '`') {
          int close = quotedEnd(i, c, false);
          word(i, close, true);
          i = close;
        } else if (c == '$') {
          i = dollar(i, next);
        } else if (isDigit(c) || (c == '.' && isDigit(next))) {
          i = numberEnd(i);
          literal();
        } else if (isIdentifierStart(c)) {
          i = wordOrPrefixedString(i);
        } else {
          punctuation(c);
          i++;
        }
      }
      String text = out.length() == 0 ? null : out.toString();
      return new SqlStatement(summary.operation(), summary.collection(), text);
    }

    private int wordOrPrefixedString(int start) {
      int i = start + 1;
      while (i < end && isIdentifierPart(sql.charAt(i))) {
        i++;
      }
      if (i + 1 < end
          && sql.charAt(i) == '\''
          && dialect.alternativeQuoting
          && isAlternativeQuotePrefix(start, i)
          && !Character.isWhitespace(sql.charAt(i + 1))) {
        int close = alternativeQuotedEnd(i + 1);
        literal();
        return close;
      }
      if (i < end && sql.charAt(i) == '\'' && isStringPrefix(start, i)) {
        // E'' escapes with backslashes whatever the settings
        int close =
            i - start == 1 && isE(sql.charAt(start))
                ? quotedEnd(i, '\'', true)
                : plainStringEnd(i, '\'', dialect.backslashEscapes);
        literal();
        return close;
      }
      if (i + 1 < end
          && i - start == 1
          && (sql.charAt(start) == 'U' || sql.charAt(start) == 'u')
          && sql.charAt(i) == '&'
          && sql.charAt(i + 1) == '\'') {
        int close = quotedEnd(i + 1, '\'', false);
        literal();
        return close;
      }
      word(start, i, false);
      return i;
    }

    // E'', N'', X'', B'' and MySQL's _utf8mb4'' introducers; other words before a quote stay.
    private boolean isStringPrefix(int start, int stop) {
      char first = sql.charAt(start);
      if (stop - start == 1) {
        switch (first) {
          case 'E':
          case 'e':
          case 'N':
          case 'n':
          case 'X':
          case 'x':
          case 'B':
          case 'b':
            return true;
          default:
            return false;
        }
      }
      return first == '_';
    }

    // Oracle's q'' and nq'': read as a plain string, a quote inside ended it early and the rest
    // of the text (q'[it's secret]') went out as words.
    private boolean isAlternativeQuotePrefix(int start, int stop) {
      char last = sql.charAt(stop - 1);
      if (last != 'q' && last != 'Q') {
        return false;
      }
      return stop - start == 1 || (stop - start == 2 && isN(sql.charAt(start)));
    }

    /**
     * The index after {@code q'}'s closing delimiter and quote, given the index of its opening
     * delimiter: a bracket closes with its pair, any other character with itself. The end if none.
     */
    private int alternativeQuotedEnd(int open) {
      char opening = sql.charAt(open);
      char closing = closingOf(opening);
      for (int i = open + 1; i + 1 < end; i++) {
        if (sql.charAt(i) == closing && sql.charAt(i + 1) == '\'') {
          return i + 2;
        }
      }
      return end;
    }

    private static char closingOf(char opening) {
      switch (opening) {
        case '[':
          return ']';
        case '{':
          return '}';
        case '(':
          return ')';
        case '<':
          return '>';
        default:
          return opening;
      }
    }

    private int dollar(int start, char next) {
      if (isDigit(next)) {
        // $1: a positional parameter, not a literal
        int i = start + 1;
        while (i < end && isDigit(sql.charAt(i))) {
          i++;
        }
        emit(start, i);
        keepInList();
        return i;
      }
      int tagEnd = start + 1;
      while (tagEnd < end && isTagPart(sql.charAt(tagEnd))) {
        tagEnd++;
      }
      if (tagEnd < end && sql.charAt(tagEnd) == '$' && !isDigit(next)) {
        String tag = sql.substring(start, tagEnd + 1);
        int close = sql.indexOf(tag, tagEnd + 1);
        literal();
        return close < 0 || close + tag.length() > end ? end : close + tag.length();
      }
      punctuation('$');
      return start + 1;
    }

    private void word(int start, int stop, boolean quoted) {
      if (passwordNext) {
        literal();
        return;
      }
      passwordNext = afterIdentified && !quoted && isWord(start, stop, "BY");
      afterIdentified = !quoted && isWord(start, stop, "IDENTIFIED");
      boolean isIn = !quoted && stop - start == 2 && sql.regionMatches(true, start, "IN", 0, 2);
      inListStart = -1;
      emit(start, stop);
      afterIn = isIn;
      summary.word(sql, start, stop, quoted, depth);
    }

    private boolean isWord(int start, int stop, String word) {
      return stop - start == word.length() && sql.regionMatches(true, start, word, 0, stop - start);
    }

    private void literal() {
      afterIdentified = false;
      passwordNext = false;
      afterIn = false;
      emitChar('?');
      summary.other(depth);
    }

    private void punctuation(char c) {
      afterIdentified = false;
      passwordNext = false;
      if (c == ')' && inListStart >= 0) {
        out.setLength(inListStart);
        out.append("?)");
        inListStart = -1;
        pendingSpace = false;
        depth--;
        summary.other(depth);
        return;
      }
      if (c == '(') {
        boolean startsList = afterIn;
        summary.punctuation(c, depth);
        depth++;
        emitChar(c);
        afterIn = false;
        inListStart = startsList ? out.length() : -1;
        return;
      }
      if (c == ')') {
        depth--;
      }
      if (c != ',' && c != '?') {
        inListStart = -1;
      }
      afterIn = false;
      emitChar(c);
      summary.punctuation(c, depth);
    }

    private void keepInList() {
      afterIn = false;
    }

    private void emit(int start, int stop) {
      space();
      out.append(sql, start, stop);
    }

    private void emitChar(char c) {
      space();
      out.append(c);
    }

    private void space() {
      if (pendingSpace && out.length() > 0) {
        out.append(' ');
      }
      pendingSpace = false;
    }

    private int lineEnd(int start) {
      int i = start;
      while (i < end && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
        i++;
      }
      return i;
    }

    private int blockCommentEnd(int start) {
      int level = 0;
      int i = start;
      while (i < end) {
        char c = sql.charAt(i);
        char next = i + 1 < end ? sql.charAt(i + 1) : '\0';
        if (c == '/' && next == '*' && (level == 0 || dialect.nestedComments)) {
          level++;
          i += 2;
        } else if (c == '*' && next == '/') {
          i += 2;
          if (--level == 0) {
            return i;
          }
        } else {
          i++;
        }
      }
      return end;
    }

    /**
     * The index after the quote that closes the plain string at {@code start}, read with or without
     * backslash escapes as the dialect has them; the end when a server setting decides which, and
     * the two readings close it at different quotes. Then either reading leaks the literal under
     * the other (under {@code NO_BACKSLASH_ESCAPES}, {@code 'C:\', 'secret'} is two strings, and
     * read with escapes it left {@code secret} as a word), so the rest of the statement goes as one
     * literal.
     */
    private int plainStringEnd(int start, char quote, boolean backslashEscapes) {
      int close = quotedEnd(start, quote, backslashEscapes);
      if (!dialect.settingDecidesBackslashes || !backslashBetween(start, close)) {
        return close;
      }
      return close == quotedEnd(start, quote, !backslashEscapes) ? close : end;
    }

    /**
     * Whether a backslash lies between {@code from} and {@code to}. The next backslash is looked
     * for once and kept, so the check costs one comparison per string until the scan passes it.
     */
    private boolean backslashBetween(int from, int to) {
      if (nextBackslash < from) {
        int found = sql.indexOf('\\', from);
        nextBackslash = found < 0 || found >= end ? end : found;
      }
      return nextBackslash < to;
    }

    /** The index after the quote that closes the one at {@code start}; the end if none does. */
    private int quotedEnd(int start, char quote, boolean backslashEscapes) {
      int i = start + 1;
      while (i < end) {
        char c = sql.charAt(i);
        if (c == '\\' && backslashEscapes) {
          i += 2;
        } else if (c == quote) {
          if (i + 1 < end && sql.charAt(i + 1) == quote) {
            i += 2;
          } else {
            return i + 1;
          }
        } else {
          i++;
        }
      }
      return end;
    }

    private int numberEnd(int start) {
      boolean hex =
          sql.charAt(start) == '0'
              && start + 1 < end
              && (sql.charAt(start + 1) == 'x' || sql.charAt(start + 1) == 'X');
      int i = start + 1;
      while (i < end) {
        char c = sql.charAt(i);
        char previous = sql.charAt(i - 1);
        if (isIdentifierPart(c) || c == '.') {
          i++;
        } else if ((c == '+' || c == '-') && !hex && (previous == 'e' || previous == 'E')) {
          i++;
        } else {
          break;
        }
      }
      return i;
    }

    private static boolean isE(char c) {
      return c == 'E' || c == 'e';
    }

    private static boolean isN(char c) {
      return c == 'N' || c == 'n';
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(char c) {
      return c == '_' || Character.isLetter(c);
    }

    private static boolean isIdentifierPart(char c) {
      return c == '_' || c == '$' || Character.isLetterOrDigit(c);
    }

    private static boolean isTagPart(char c) {
      return c == '_' || Character.isLetterOrDigit(c);
    }
  }
}
