package io.redwing.agent.telemetry;

import java.util.Set;

/** Maps request methods to the semantic conventions' known set, anything else to {@code _OTHER}. */
final class HttpMethods {
  static final String OTHER = "_OTHER";
  private static final Set<String> KNOWN =
      Set.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE");

  private HttpMethods() {}

  static String normalize(String method) {
    return method != null && KNOWN.contains(method) ? method : OTHER;
  }
}
