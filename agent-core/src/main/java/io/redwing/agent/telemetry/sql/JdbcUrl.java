package io.redwing.agent.telemetry.sql;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a JDBC URL says about where statements go: the database system (a {@code db.system.name}
 * value), the server's address and port (the driver's default port when the URL names none), and
 * the database (namespace). User names, passwords and other properties are never kept.
 */
public final class JdbcUrl {
  static final String POSTGRESQL = "postgresql";
  static final String MYSQL = "mysql";
  static final String MARIADB = "mariadb";
  static final String H2 = "h2database";
  static final String ORACLE = "oracle.db";
  static final String SQLSERVER = "microsoft.sql_server";
  static final String DB2 = "ibm.db2";
  static final String DERBY = "derby";
  static final String HSQLDB = "hsqldb";
  static final String SQLITE = "sqlite";
  static final String OTHER = "other_sql";

  private static final int MAX_CACHED = 256;
  private static final int MAX_URL = 2048;
  private static final JdbcUrl UNKNOWN = new JdbcUrl(null, null, 0, null);
  private static final ConcurrentHashMap<String, JdbcUrl> CACHE = new ConcurrentHashMap<>();

  private final String system;
  private final String host;
  private final int port;
  private final String namespace;

  private JdbcUrl(String system, String host, int port, String namespace) {
    this.system = system;
    this.host = host;
    this.port = port;
    this.namespace = namespace;
  }

  /** Null or empty when the system is unknown. */
  public String system() {
    return system;
  }

  public String host() {
    return host;
  }

  /** 0 when unknown. */
  public int port() {
    return port;
  }

  public String namespace() {
    return namespace;
  }

  /** Parses {@code url}, once per distinct URL while the cache has room; never throws. */
  public static JdbcUrl of(String url) {
    if (url == null || url.isEmpty() || url.length() > MAX_URL) {
      return UNKNOWN;
    }
    JdbcUrl known = CACHE.get(url);
    if (known != null) {
      return known;
    }
    JdbcUrl parsed = parse(url);
    if (CACHE.size() < MAX_CACHED) {
      CACHE.put(url, parsed);
    }
    return parsed;
  }

  static JdbcUrl parse(String url) {
    try {
      return parseUnsafe(url.trim());
    } catch (RuntimeException e) {
      // A URL no rule foresaw: report nothing rather than something wrong.
      return UNKNOWN;
    }
  }

  private static JdbcUrl parseUnsafe(String url) {
    String rest = url;
    if (rest.regionMatches(true, 0, "jdbc:", 0, 5)) {
      rest = rest.substring(5);
    }
    // Wrapping drivers put their own name first: jdbc:p6spy:postgresql://..., jdbc:otel:...
    for (String wrapper :
        new String[] {"p6spy:", "log4jdbc:", "otel:", "tracing:", "aws-wrapper:"}) {
      if (rest.regionMatches(true, 0, wrapper, 0, wrapper.length())) {
        rest = rest.substring(wrapper.length());
      }
    }
    int colon = rest.indexOf(':');
    if (colon <= 0) {
      return UNKNOWN;
    }
    String protocol = rest.substring(0, colon).toLowerCase(Locale.ROOT);
    String after = rest.substring(colon + 1);
    switch (protocol) {
      case "postgresql":
      case "pgsql":
        return network(POSTGRESQL, after, 5432, '/');
      case "mysql":
        return network(MYSQL, after, 3306, '/');
      case "mariadb":
        return network(MARIADB, after, 3306, '/');
      case "sqlserver":
        return sqlServer(after);
      case "oracle":
        return oracle(after);
      case "db2":
        return network(DB2, after, 50000, '/');
      case "derby":
        return embeddedOrNetwork(DERBY, after, 1527);
      case "h2":
        return embeddedOrNetwork(H2, after, 9092);
      case "hsqldb":
        return embeddedOrNetwork(HSQLDB, after, 9001);
      case "sqlite":
        return new JdbcUrl(SQLITE, null, 0, emptyToNull(cutAt(after, '?')));
      default:
        return new JdbcUrl(OTHER, null, 0, null);
    }
  }

  /** {@code [subprotocol:]//host[:port][,host2...][/database][?|;properties]}. */
  private static JdbcUrl network(String system, String after, int defaultPort, char dbSeparator) {
    int slashes = after.indexOf("//");
    if (slashes < 0) {
      // jdbc:postgresql:database means localhost
      String db = cutAt(cutAt(after, '?'), ';');
      return new JdbcUrl(system, "localhost", defaultPort, emptyToNull(db));
    }
    String authority = after.substring(slashes + 2);
    int pathStart = indexOfAny(authority, "/?;");
    String hosts = pathStart < 0 ? authority : authority.substring(0, pathStart);
    String db = null;
    if (pathStart >= 0 && authority.charAt(pathStart) == dbSeparator) {
      db = cutAt(cutAt(authority.substring(pathStart + 1), '?'), ';');
    }
    int comma = hosts.indexOf(',');
    String first = comma < 0 ? hosts : hosts.substring(0, comma);
    int at = first.lastIndexOf('@');
    if (at >= 0) {
      first = first.substring(at + 1);
    }
    return withHostPort(system, first, defaultPort, emptyToNull(db));
  }

  private static JdbcUrl withHostPort(String system, String hostPort, int defaultPort, String db) {
    String host = hostPort;
    int port = defaultPort;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      host = hostPort.substring(1, close);
      if (close + 1 < hostPort.length() && hostPort.charAt(close + 1) == ':') {
        port = parsePort(hostPort.substring(close + 2), defaultPort);
      }
    } else {
      int colon = hostPort.lastIndexOf(':');
      if (colon >= 0 && hostPort.indexOf(':') == colon) {
        host = hostPort.substring(0, colon);
        port = parsePort(hostPort.substring(colon + 1), defaultPort);
      }
    }
    return new JdbcUrl(system, emptyToNull(host), port, db);
  }

  /** {@code jdbc:sqlserver://host[\instance][:port][;databaseName=db;...]}. */
  private static JdbcUrl sqlServer(String after) {
    String rest = after.startsWith("//") ? after.substring(2) : after;
    int semicolon = rest.indexOf(';');
    String hostPart = semicolon < 0 ? rest : rest.substring(0, semicolon);
    int backslash = hostPart.indexOf('\\');
    String withoutInstance =
        backslash < 0
            ? hostPart
            : hostPart.substring(0, backslash)
                + (hostPart.indexOf(':', backslash) >= 0
                    ? hostPart.substring(hostPart.indexOf(':', backslash))
                    : "");
    String db = null;
    if (semicolon >= 0) {
      for (String property : rest.substring(semicolon + 1).split(";")) {
        int eq = property.indexOf('=');
        if (eq > 0) {
          String key = property.substring(0, eq).trim();
          if (key.equalsIgnoreCase("databaseName") || key.equalsIgnoreCase("database")) {
            db = property.substring(eq + 1).trim();
          }
        }
      }
    }
    return withHostPort(SQLSERVER, withoutInstance, 1433, emptyToNull(db));
  }

  /**
   * {@code jdbc:oracle:thin:@host:port:SID}, {@code @//host:port/service}, or a TNS descriptor
   * {@code @(DESCRIPTION=...(HOST=h)(PORT=p)...(SERVICE_NAME=s))}.
   */
  private static JdbcUrl oracle(String after) {
    int at = after.indexOf('@');
    if (at < 0) {
      return new JdbcUrl(ORACLE, null, 0, null);
    }
    String target = after.substring(at + 1).trim();
    if (target.startsWith("(")) {
      String host = tnsValue(target, "HOST");
      String port = tnsValue(target, "PORT");
      String service = tnsValue(target, "SERVICE_NAME");
      return new JdbcUrl(
          ORACLE,
          host,
          port == null ? 1521 : parsePort(port, 1521),
          service != null ? service : tnsValue(target, "SID"));
    }
    if (target.startsWith("//")) {
      return network(ORACLE, target, 1521, '/');
    }
    // host:port:sid, or host:port/service
    String[] parts = cutAt(target, '?').split("[:/]", -1);
    String host = parts[0];
    int port = parts.length > 1 ? parsePort(parts[1], 1521) : 1521;
    String db = parts.length > 2 ? parts[2] : null;
    return new JdbcUrl(ORACLE, emptyToNull(host), port, emptyToNull(db));
  }

  /** H2, Derby, HSQLDB: {@code mem:name}, {@code file:path} or a bare path, or a server URL. */
  private static JdbcUrl embeddedOrNetwork(String system, String after, int defaultPort) {
    String rest = cutAt(after, ';');
    String lower = rest.toLowerCase(Locale.ROOT);
    for (String server : new String[] {"tcp:", "ssl:", "hsql:", "hsqls:", "http:", "https:"}) {
      if (lower.startsWith(server) && rest.startsWith("//", server.length())) {
        return network(system, rest.substring(server.length()), defaultPort, '/');
      }
    }
    if (lower.startsWith("//")) {
      return network(system, rest, defaultPort, '/');
    }
    for (String local : new String[] {"mem:", "memory:", "file:", "res:", "zip:", "split:"}) {
      if (lower.startsWith(local)) {
        rest = rest.substring(local.length());
        break;
      }
    }
    return new JdbcUrl(system, null, 0, emptyToNull(rest));
  }

  private static String tnsValue(String descriptor, String key) {
    String upper = descriptor.toUpperCase(Locale.ROOT);
    int at = upper.indexOf("(" + key);
    while (at >= 0) {
      int eq = at + key.length() + 1;
      while (eq < upper.length() && upper.charAt(eq) == ' ') {
        eq++;
      }
      if (eq < upper.length() && upper.charAt(eq) == '=') {
        int close = descriptor.indexOf(')', eq);
        return close < 0 ? null : emptyToNull(descriptor.substring(eq + 1, close).trim());
      }
      at = upper.indexOf("(" + key, at + 1);
    }
    return null;
  }

  private static int parsePort(String text, int defaultPort) {
    String digits = cutAt(cutAt(text, '/'), ';');
    try {
      int port = Integer.parseInt(digits.trim());
      return port > 0 && port < 65536 ? port : defaultPort;
    } catch (NumberFormatException e) {
      return defaultPort;
    }
  }

  private static String cutAt(String text, char c) {
    int at = text.indexOf(c);
    return at < 0 ? text : text.substring(0, at);
  }

  private static int indexOfAny(String text, String chars) {
    for (int i = 0; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
