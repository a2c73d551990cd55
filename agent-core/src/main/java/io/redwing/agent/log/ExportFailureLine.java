package io.redwing.agent.log;

import io.redwing.bootstrap.Causes;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The OTLP exporter's failure, said so that whoever reads it can act: the exporter names neither
 * where it sent nor, for a refused connection, more than the JDK client's bare {@code
 * ClosedChannelException} at the bottom of the causes.
 */
final class ExportFailureLine {
  /** The exporter's own words: "Failed to export spans. The request could not be executed." */
  private static final Pattern FAILED = Pattern.compile("Failed to export (\\w+)s\\. ?(.*)");

  private ExportFailureLine() {}

  /**
   * The line for an export failure, or null if {@code message} is not one. {@code endpoints} maps
   * the exporter's word for a signal ({@code span}, {@code log}) to its URL.
   */
  static String describe(String message, Throwable thrown, Map<String, String> endpoints) {
    Matcher failed = message == null ? null : FAILED.matcher(message);
    if (failed == null || !failed.matches()) {
      return null;
    }
    String signal = failed.group(1);
    String endpoint = endpoints.get(signal);
    String detail = thrown != null ? reason(thrown) : failed.group(2).trim();
    return signal
        + "s could not be exported"
        + (endpoint != null ? " to " + endpoint : "")
        + (detail.isEmpty() ? "" : ": " + detail);
  }

  /** What went wrong, in words, with the exception that says so for anyone searching for it. */
  static String reason(Throwable thrown) {
    // The most telling first: the JDK's client wraps an unresolved host in a ConnectException.
    Throwable t = Causes.firstInChain(thrown, ExportFailureLine::mostTelling);
    if (t == null) {
      t =
          Causes.firstInChain(
              thrown,
              c ->
                  c instanceof HttpTimeoutException
                      || c instanceof InterruptedIOException
                      || c instanceof ConnectException);
    }
    if (t != null) {
      return said(words(t), t);
    }
    Throwable withMessage =
        Causes.firstInChain(thrown, c -> c.getMessage() != null && !c.getMessage().isBlank());
    return withMessage != null ? withMessage.toString() : AgentLog.rootCause(thrown);
  }

  /** An unresolved host, a connection that timed out, a TLS failure: each names the problem. */
  private static boolean mostTelling(Throwable t) {
    return t instanceof UnknownHostException
        || t instanceof UnresolvedAddressException
        || t instanceof HttpConnectTimeoutException
        || t instanceof SSLException;
  }

  private static String words(Throwable t) {
    if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
      return "its host name could not be resolved";
    }
    if (t instanceof HttpConnectTimeoutException) {
      return "connecting timed out";
    }
    if (t instanceof SSLException) {
      return t.getMessage() == null ? "TLS failed" : "TLS failed, " + t.getMessage();
    }
    if (t instanceof ConnectException) {
      // The JDK's HTTP client gives no message for a refused connection.
      String message = t.getMessage();
      return message == null || message.isBlank()
          ? "the connection was refused"
          : "connecting failed, " + message;
    }
    return "no answer within the exporter's timeout";
  }

  private static String said(String words, Throwable t) {
    return words + " (" + t.getClass().getName() + ")";
  }
}
