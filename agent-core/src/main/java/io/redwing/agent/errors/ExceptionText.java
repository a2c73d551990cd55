package io.redwing.agent.errors;

import io.redwing.bootstrap.RedisCalls;
import io.sentry.SentryEvent;
import io.sentry.protocol.SentryException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * What of an exception's text may leave the process, on a span, a log record or a Sentry event. A
 * driver's {@link SQLException} quotes the statement and the values it failed on ("Duplicate entry
 * 'alice' for key ..."), and so does a framework's exception wrapping one ("could not execute
 * statement [...]"): of those, the SQLState and vendor code only. A Redis client's exception for an
 * error reply may quote the command's arguments ("ERR unknown command 'x', with args beginning
 * with: ..."): of those, and of what wraps one, the reply's code. Any other text goes through the
 * default scrubbing rules.
 */
public final class ExceptionText {
  /** How far down a chain of causes an exception that quotes a statement is looked for. */
  private static final int MAX_DEPTH = 16;

  private static final int MAX_FRAMES = 64;

  /** Bounds the exceptions marked by {@link #redactAs} that are still reachable. */
  private static final int MAX_REDACTED = 1024;

  // Weak keys: a marked exception is forgotten with it. Throwable's equality is identity.
  private static final Map<Throwable, String> REDACTED = new WeakHashMap<>();

  private ExceptionText() {}

  /**
   * {@code error}'s message as it may be exported: the codes when it or one of its causes quotes a
   * statement or a command's arguments, else its scrubbed message; null when it has none.
   */
  public static String message(Throwable error) {
    String codes = codes(error);
    return codes != null ? codes : Scrubber.DEFAULTS.text(error.getMessage());
  }

  /**
   * {@code error}'s stack trace as it may be exported: for one that carries a statement, its frames
   * under the codes, without the causes and their messages; else the whole trace, scrubbed.
   */
  public static String stackTrace(Throwable error) {
    String codes = codes(error);
    return codes == null ? Scrubber.DEFAULTS.stackTrace(error) : framesUnder(error, codes);
  }

  private static String framesUnder(Throwable error, String codes) {
    StringBuilder trace = new StringBuilder(error.getClass().getName()).append(": ").append(codes);
    StackTraceElement[] frames = error.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
      trace.append("\n\tat ").append(frames[i]);
    }
    return trace.toString();
  }

  /**
   * Marks {@code error}, whose message may quote what must not leave the process (any exception a
   * Redis command ended with, whatever its class), to be exported with {@code code} for its
   * message, as an SQLException is, wherever it is seen later: on a span, in a log record, in a
   * Sentry event. The clients' own exceptions for error replies are known by their class anyway.
   */
  public static void redactAs(Throwable error, String code) {
    synchronized (REDACTED) {
      if (REDACTED.size() >= MAX_REDACTED) {
        REDACTED.clear();
      }
      REDACTED.put(error, code);
    }
  }

  /**
   * The codes that stand for the message of an exception that quotes a statement or a command's
   * arguments ({@code "SQLState 23505, vendor code 0"}, {@code "WRONGTYPE"}, or {@code "caused by
   * <class>, ..."} for a wrapper, which often copies the message); null for any other.
   */
  static String codes(Throwable error) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      String code = ownCode(t);
      if (code != null) {
        return t == error ? code : "caused by " + t.getClass().getName() + ", " + code;
      }
    }
    return null;
  }

  private static String ownCode(Throwable t) {
    if (t instanceof SQLException) {
      return code((SQLException) t);
    }
    String reply = RedisCalls.errorReplyCode(t);
    if (reply != null) {
      return reply;
    }
    synchronized (REDACTED) {
      return REDACTED.get(t);
    }
  }

  /**
   * Puts the codes in place of the value of each exception of the event that carries a statement:
   * the event's exceptions are the chain of its throwable, matched here by class and message.
   */
  public static SentryEvent redactStatements(SentryEvent event) {
    List<SentryException> exceptions = event.getExceptions();
    Throwable error = event.getThrowable();
    if (exceptions == null || error == null) {
      return event;
    }
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      String codes = codes(t);
      if (codes == null) {
        break; // below the last exception that quotes one, nothing does
      }
      for (SentryException exception : exceptions) {
        if (isOf(exception, t)) {
          exception.setValue(codes);
        }
      }
    }
    return event;
  }

  private static boolean isOf(SentryException exception, Throwable t) {
    Class<?> type = t.getClass();
    String module = type.getPackage() == null ? null : type.getPackage().getName();
    return Objects.equals(exception.getModule(), module)
        && type.getName().endsWith(String.valueOf(exception.getType()))
        && Objects.equals(exception.getValue(), t.getMessage());
  }

  private static String code(SQLException error) {
    String state = error.getSQLState();
    return "SQLState "
        + (state == null ? "unknown" : state)
        + ", vendor code "
        + error.getErrorCode();
  }
}
