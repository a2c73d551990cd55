package io.redwing.agent.errors;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * Text cut to {@link #MAX} characters before it is scrubbed. A message or a logged payload may be
 * megabytes, every scrubbing rule runs over all of it on the thread that failed or logged, and the
 * SDK keeps 8,192 characters of an attribute by default anyway.
 *
 * <p>The rules know a secret by what comes after its start (the {@code @} after a URL's
 * credentials, the thirteenth digit of a card number, the closing bracket of a row's key detail),
 * so the cut never leaves the start of one without its end: the token it splits goes whole, and so
 * does a run of digits it may have left short of a card number, or a key detail left open.
 */
final class BoundedText {
  static final int MAX = 32 * 1024;

  /** Where the text was cut. */
  static final String TRUNCATED = " [truncated]";

  private BoundedText() {}

  /** {@code s}, or its first {@link #MAX} characters at most, cut as above, then the marker. */
  static String of(String s) {
    if (s.length() <= MAX) {
      return s;
    }
    int end = MAX;
    while (end > 0 && !Character.isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    while (end > 0 && mayContinueACardNumber(s.charAt(end - 1))) {
      end--;
    }
    int detail = s.lastIndexOf(Scrubber.KEY_DETAIL_START, end - Scrubber.KEY_DETAIL_START.length());
    if (detail >= 0 && !closed(s, detail, end)) {
      end = detail;
    }
    return s.substring(0, end) + TRUNCATED;
  }

  private static boolean mayContinueACardNumber(char c) {
    return Scrubber.isDigit(c) || c == '-' || Character.isWhitespace(c);
  }

  /** Whether the key detail at {@code detail} ends, values and all, before {@code end}. */
  private static boolean closed(String s, int detail, int end) {
    int values = s.indexOf(")=(", detail);
    if (values < 0 || values >= end) {
      return false;
    }
    int close = s.indexOf(')', values + 3);
    return close >= 0 && close < end;
  }

  /**
   * {@code error}'s {@code printStackTrace}, kept to {@link #MAX} characters and one more as it is
   * written, so that a huge message is not copied whole first; {@link #of}, which {@link
   * Scrubber#text} applies, then cuts it.
   */
  static String stackTrace(Throwable error) {
    CappedWriter out = new CappedWriter();
    try (PrintWriter writer = new PrintWriter(out)) {
      error.printStackTrace(writer);
    }
    return out.text.toString();
  }

  /**
   * Keeps what is written up to one character past {@link #MAX}, which tells {@link #of} to cut.
   */
  private static final class CappedWriter extends Writer {
    final StringBuilder text = new StringBuilder(1024);

    @Override
    public void write(char[] chars, int offset, int length) {
      int room = MAX + 1 - text.length();
      if (room > 0) {
        text.append(chars, offset, Math.min(room, length));
      }
    }

    @Override
    public void write(String s, int offset, int length) {
      int room = MAX + 1 - text.length();
      if (room > 0) {
        text.append(s, offset, offset + Math.min(room, length));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
