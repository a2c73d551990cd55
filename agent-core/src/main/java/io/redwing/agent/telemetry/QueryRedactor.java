package io.redwing.agent.telemetry;

import java.util.Locale;
import java.util.Set;

/** Replaces the values of sensitive query parameters with {@code REDACTED}, keeping the rest. */
final class QueryRedactor {
  static final String REDACTED = "REDACTED";

  private final Set<String> sensitive;

  /** {@code sensitive} holds lower-case parameter names. */
  QueryRedactor(Set<String> sensitive) {
    this.sensitive = sensitive;
  }

  String redact(String query) {
    if (query == null || query.isEmpty() || sensitive.isEmpty()) {
      return query;
    }
    StringBuilder out = new StringBuilder(query.length());
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      String pair = query.substring(start, end);
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (eq >= 0 && sensitive.contains(decodedName(name))) {
        out.append(name).append('=').append(REDACTED);
      } else {
        out.append(pair);
      }
      if (end < query.length()) {
        out.append('&');
      }
      start = end + 1;
    }
    return out.toString();
  }

  private static String decodedName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.indexOf('%') < 0 && lower.indexOf('+') < 0) {
      return lower;
    }
    try {
      return java.net.URLDecoder.decode(lower, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return lower;
    }
  }
}
