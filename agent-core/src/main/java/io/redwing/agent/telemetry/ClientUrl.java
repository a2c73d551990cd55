package io.redwing.agent.telemetry;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The parts of an outbound call's URL that its span and metrics take. {@code new java.net.URI(url)}
 * checks every character against its grammar and builds each component; with the second string put
 * together from them it was three quarters of a metric-only client call ({@code
 * ClientCallBenchmark}). So {@link #parse} splits the common shape, {@code
 * scheme://[userinfo@]host[:port][/path][?query][#fragment]} with an IPv4 address or a host name
 * that {@code URI} also reads as one, from the string directly, and {@link #of} leaves anything
 * else (IPv6 literals, characters {@code URI} rejects or reads differently) to {@code URI}: on
 * every URL {@code parse} accepts, each part is the one {@code URI} gives.
 */
final class ClientUrl {
  /** Null when the URL has none (URI only). */
  final String scheme;

  /** Empty when the URL has none. */
  final String host;

  /** -1 when the URL names none. */
  final int port;

  /** Empty when the URL has none. */
  final String rawPath;

  /** Null when the URL has no {@code ?}. */
  final String rawQuery;

  /** Scheme, host and port: no user info. */
  final String origin;

  private ClientUrl(
      String scheme, String host, int port, String rawPath, String rawQuery, String origin) {
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.rawPath = rawPath;
    this.rawQuery = rawQuery;
    this.origin = origin;
  }

  /** The parts of {@code url}, or null when not even {@code URI} can take it apart. */
  static ClientUrl of(String url) {
    ClientUrl parts = parse(url);
    return parts != null ? parts : viaUri(url);
  }

  private static ClientUrl viaUri(String url) {
    try {
      URI uri = new URI(url);
      return new ClientUrl(
          uri.getScheme(),
          uri.getHost() == null ? "" : uri.getHost(),
          uri.getPort(),
          uri.getRawPath() == null ? "" : uri.getRawPath(),
          uri.getRawQuery(),
          origin(uri));
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /**
   * Scheme, host and port, without user info. Put together directly when the URI has a scheme and a
   * host ({@code getHost()} keeps an IPv6 address's brackets), since building a URI from parts
   * parses the string it builds again: a second full parse on every client call.
   */
  static String origin(URI uri) throws URISyntaxException {
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null) {
      return new URI(scheme, null, host, uri.getPort(), null, null, null).toString();
    }
    return origin(scheme, host, uri.getPort());
  }

  private static String origin(String scheme, String host, int port) {
    return port == -1 ? scheme + "://" + host : scheme + "://" + host + ":" + port;
  }

  /** The common shape's parts, or null for anything else. */
  static ClientUrl parse(String url) {
    int colon = url.indexOf(':');
    if (colon <= 0 || !isScheme(url, colon) || !url.startsWith("//", colon + 1)) {
      return null;
    }
    int authority = colon + 3;
    int end = authority;
    while (end < url.length() && !is(url.charAt(end), AUTHORITY_END)) {
      end++;
    }
    int at = url.indexOf('@', authority);
    int hostStart = authority;
    if (at >= 0 && at < end) {
      if (!all(url, authority, at, USERINFO)) {
        return null;
      }
      hostStart = at + 1;
    }
    int hostEnd = url.indexOf(':', hostStart);
    if (hostEnd < 0 || hostEnd > end) {
      hostEnd = end;
    }
    int port = hostEnd == end ? -1 : port(url, hostEnd + 1, end);
    if (port == -2 || !isHost(url, hostStart, hostEnd)) {
      return null;
    }
    int query = url.indexOf('?', end);
    int fragment = url.indexOf('#', end);
    if (query > fragment && fragment >= 0) {
      query = -1; // a '?' in the fragment starts no query
    }
    int pathEnd = query >= 0 ? query : fragment >= 0 ? fragment : url.length();
    int queryEnd = fragment >= 0 ? fragment : url.length();
    if (!all(url, end, pathEnd, PATH)
        || (query >= 0 && !all(url, query + 1, queryEnd, QUERY))
        || (fragment >= 0 && !all(url, fragment + 1, url.length(), QUERY))) {
      return null;
    }
    String scheme = url.substring(0, colon);
    String host = url.substring(hostStart, hostEnd);
    return new ClientUrl(
        scheme,
        host,
        port,
        url.substring(end, pathEnd),
        query >= 0 ? url.substring(query + 1, queryEnd) : null,
        origin(scheme, host, port));
  }

  // ---- the grammar, as java.net.URI applies it (RFC 2396 with RFC 2732) ----------------------

  private static final int USERINFO = 1;
  private static final int PATH = 2;
  private static final int QUERY = 4;
  private static final int AUTHORITY_END = 8;

  /** What each ASCII character may be: a table, since this runs on every character of a URL. */
  private static final byte[] CLASSES = new byte[128];

  static {
    String mark = "-_.!~*'()";
    mark(mark + ";:&=+$,", USERINFO);
    mark(mark + "/;:@&=+$,", PATH);
    mark(mark + "/;:@&=+$,?", QUERY);
    mark("/?#", AUTHORITY_END);
    for (char c = 0; c < 128; c++) {
      if (isAlpha(c) || isDigit(c)) {
        CLASSES[c] |= USERINFO | PATH | QUERY;
      }
    }
  }

  private static void mark(String chars, int kind) {
    for (int i = 0; i < chars.length(); i++) {
      CLASSES[chars.charAt(i)] |= kind;
    }
  }

  private static boolean is(char c, int kind) {
    return c < 128 && (CLASSES[c] & kind) != 0;
  }

  private static boolean isScheme(String url, int end) {
    if (!isAlpha(url.charAt(0))) {
      return false;
    }
    for (int i = 1; i < end; i++) {
      char c = url.charAt(i);
      if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /** Characters of the given kind and escapes of two hex digits; nothing else. */
  private static boolean all(String url, int from, int to, int kind) {
    for (int i = from; i < to; i++) {
      char c = url.charAt(i);
      if (c == '%') {
        if (i + 2 >= to || !isHex(url.charAt(i + 1)) || !isHex(url.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (!is(c, kind)) {
        return false;
      }
    }
    return true;
  }

  /** The port's digits as a number; -2 for none or for anything but one to five digits. */
  private static int port(String url, int from, int to) {
    if (to == from || to - from > 5) {
      return -2;
    }
    int port = 0;
    for (int i = from; i < to; i++) {
      char c = url.charAt(i);
      if (!isDigit(c)) {
        return -2;
      }
      port = port * 10 + (c - '0');
    }
    return port;
  }

  /**
   * An IPv4 address, or labels of letters, digits and inner hyphens whose last one starts with a
   * letter: what {@code URI} takes as a server's host. (It reads anything else there, say an
   * underscore, as a registry name with no host at all.)
   */
  private static boolean isHost(String url, int from, int to) {
    return isIpv4(url, from, to) || isHostName(url, from, to);
  }

  private static boolean isIpv4(String url, int from, int to) {
    int parts = 0;
    int i = from;
    while (i < to) {
      int start = i;
      int value = 0;
      while (i < to && i - start < 3 && isDigit(url.charAt(i))) {
        value = value * 10 + (url.charAt(i++) - '0');
      }
      if (i == start || value > 255 || ++parts > 4) {
        return false;
      }
      if (i < to) {
        if (url.charAt(i) != '.' || parts == 4) {
          return false;
        }
        i++;
        if (i == to) {
          return false;
        }
      }
    }
    return parts == 4;
  }

  private static boolean isHostName(String url, int from, int to) {
    int label = from;
    for (int i = from; i <= to; i++) {
      if (i < to && url.charAt(i) != '.') {
        char c = url.charAt(i);
        if (!isAlpha(c) && !isDigit(c) && c != '-') {
          return false;
        }
        continue;
      }
      // a label ends at i: not empty, no hyphen at either end
      if (i == label || url.charAt(label) == '-' || url.charAt(i - 1) == '-') {
        return false;
      }
      if (i == to) {
        return isAlpha(url.charAt(label));
      }
      label = i + 1;
    }
    return false;
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
