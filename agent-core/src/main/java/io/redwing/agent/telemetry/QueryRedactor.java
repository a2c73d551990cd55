package io.redwing.agent.telemetry;

import io.redwing.agent.config.SecretWords;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Replaces the values of sensitive query parameters with {@code REDACTED}, keeping the rest: those
 * named exactly as one of the configured names, and any whose name contains one of a few words that
 * only secrets' names contain ({@code X-Amz-Signature}, {@code refresh_token}, {@code
 * user[password]}). The configured list has short names too ({@code key}, {@code code}), which
 * count only as whole names: as parts they would take {@code monkey} and {@code zipcode}. A value
 * that is itself a URL or query naming such a parameter ({@code next=/reset%3Ftoken%3D...}) is
 * redacted whole.
 */
final class QueryRedactor {
  static final String REDACTED = "REDACTED";

  private static final String[] SECRET_WORDS = SecretWords.WORDS.toArray(new String[0]);

  private final Set<String> sensitive;

  /** The same names, for a loop that makes no iterator. */
  private final String[] names;

  /** {@code sensitive} holds lower-case parameter names. */
  QueryRedactor(Set<String> sensitive) {
    this.sensitive = sensitive;
    this.names = sensitive.toArray(new String[0]);
  }

  String redact(String query) {
    if (query == null || query.isEmpty() || !maySensitive(query)) {
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
      if (eq >= 0
          && (isSensitive(decodedName(name))
              || mayHoldPair(pair, eq + 1, pair.length())
                  && holdsSecret(pair.substring(eq + 1), 0))) {
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

  /**
   * Whether some parameter of {@code query} may be sensitive, decided without allocating, so that
   * the usual query, which names none, is returned as it is. A name with {@code %}, {@code +} or a
   * non-ASCII character may decode or lower-case to a sensitive one: it takes the exact path.
   */
  private boolean maySensitive(String query) {
    int length = query.length();
    int equals = -1;
    for (int start = 0; start < length; ) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = length;
      }
      if (equals < start) {
        equals = query.indexOf('=', start);
        if (equals < 0) {
          return false;
        }
      }
      if (equals < end
          && (maySensitive(query, start, equals) || mayHoldPair(query, equals + 1, end))) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  private boolean maySensitive(String query, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = query.charAt(i);
      if (c == '%' || c == '+' || c >= 0x80) {
        return true;
      }
    }
    for (String name : names) {
      // ASCII only here, where ignoring case is the same as comparing lower-cased
      if (name.length() == end - start && query.regionMatches(true, start, name, 0, end - start)) {
        return true;
      }
    }
    for (String word : SECRET_WORDS) {
      for (int i = start; i + word.length() <= end; i++) {
        if (query.regionMatches(true, i, word, 0, word.length())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a value may hold a query of its own ({@code next=/reset?token=...}, encoded or not): it
   * has an {@code =}, plain or percent-encoded once or twice.
   */
  private static boolean mayHoldPair(String query, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = query.charAt(i);
      if (c == '='
          || c == '%'
              && (query.regionMatches(true, i + 1, "3d", 0, 2)
                  || query.regionMatches(true, i + 1, "253d", 0, 4))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code value}, decoded, is a URL or query that names a sensitive parameter: a link to
   * return to after a login or a redirect target carries the token of the page it leads to. The
   * whole value goes then, since its text cannot be cut up without decoding and encoding it again.
   */
  private boolean holdsSecret(String value, int depth) {
    String decoded = value;
    for (int i = 0; i < 3 && decoded.indexOf('%') >= 0; i++) {
      String once = decoded(decoded);
      if (once.equals(decoded)) {
        break;
      }
      decoded = once;
    }
    int question = decoded.indexOf('?');
    int hash = decoded.indexOf('#', question + 1);
    String nested = decoded.substring(question + 1, hash < 0 ? decoded.length() : hash);
    for (String pair : nested.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        continue;
      }
      if (isSensitive(decodedName(pair.substring(0, eq)))
          || depth < 2 && holdsSecret(pair.substring(eq + 1), depth + 1)) {
        return true;
      }
    }
    return false;
  }

  private boolean isSensitive(String lowerName) {
    if (sensitive.contains(lowerName)) {
      return true;
    }
    for (String word : SECRET_WORDS) {
      if (lowerName.contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static String decodedName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.indexOf('%') < 0 && lower.indexOf('+') < 0) {
      return lower;
    }
    return decoded(lower);
  }

  private static String decoded(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }
}
