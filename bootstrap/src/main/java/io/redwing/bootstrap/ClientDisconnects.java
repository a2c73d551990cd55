package io.redwing.bootstrap;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a request that failed because its client went away (closed the tab, timed out, cancelled a
 * download) from one the application failed: the containers' exceptions for a write to a closed
 * connection, or the socket's own message. Such a failure is the request's, and its span and
 * metrics say so, but no one can fix it, so it is no error event. Spring's {@code
 * DisconnectedClientHelper} answers the same question the same way, by names and phrases; the agent
 * cannot use the application's Spring. Not {@code java.io.EOFException}: reading a truncated file
 * throws it too.
 */
public final class ClientDisconnects {
  /**
   * Tomcat, Jetty, Reactor Netty, and Spring's wrapper for a response that can no longer be used.
   */
  private static final Set<String> EXCEPTIONS =
      Set.of(
          "ClientAbortException",
          "EofException",
          "AbortedException",
          "AsyncRequestNotUsableException");

  /** Undertow and plain sockets report a closed connection only in the message. */
  private static final String[] MESSAGES = {"broken pipe", "connection reset by peer"};

  private ClientDisconnects() {}

  public static boolean isDisconnect(Throwable failure) {
    return Causes.anyInChain(failure, ClientDisconnects::isOwnDisconnect);
  }

  private static boolean isOwnDisconnect(Throwable t) {
    if (EXCEPTIONS.contains(t.getClass().getSimpleName())) {
      return true;
    }
    if (t instanceof IOException && t.getMessage() != null) {
      String message = t.getMessage().toLowerCase(Locale.ROOT);
      for (String phrase : MESSAGES) {
        if (message.contains(phrase)) {
          return true;
        }
      }
    }
    return false;
  }
}
