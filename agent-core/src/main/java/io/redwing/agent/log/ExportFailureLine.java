package io.redwing.agent.log;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
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

  private static final int MAX_CAUSES = 10;

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
    List<Throwable> causes = new ArrayList<>();
    for (Throwable t = thrown; t != null && causes.size() < MAX_CAUSES; t = t.getCause()) {
      causes.add(t);
    }
    // The most telling first: the JDK's client wraps an unresolved host in a ConnectException.
    for (Throwable t : causes) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return said("its host name could not be resolved", t);
      }
      if (t instanceof HttpConnectTimeoutException) {
        return said("connecting timed out", t);
      }
      if (t instanceof SSLException) {
        return said(t.getMessage() == null ? "TLS failed" : "TLS failed, " + t.getMessage(), t);
      }
    }
    for (Throwable t : causes) {
      if (t instanceof HttpTimeoutException || t instanceof InterruptedIOException) {
        return said("no answer within the exporter's timeout", t);
      }
      if (t instanceof ConnectException) {
        String message = t.getMessage();
        // The JDK's HTTP client gives no message for a refused connection.
        return message == null || message.isBlank()
            ? said("the connection was refused", t)
            : said("connecting failed, " + message, t);
      }
    }
    for (Throwable t : causes) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.toString();
      }
    }
    return AgentLog.rootCause(thrown);
  }

  private static String said(String words, Throwable t) {
    return words + " (" + t.getClass().getName() + ")";
  }
}
