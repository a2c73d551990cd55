package io.redwing.agent.telemetry.sql;

import java.util.ArrayList;
import java.util.List;
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

  /** DB2 starts properties with ':' after the database: {@code /SAMPLE:user=u;password=p;}. */
  private static final String DB2_PROPERTIES = ":";

  /** Characters no host name holds; a host with one is a misread piece of something else. */
  private static final String NOT_IN_HOST = "@/\\=()[];?,'\" \t";

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
    // (and Testcontainers' jdbc:tc:mysql:8://...)
    for (String wrapper :
        new String[] {"p6spy:", "log4jdbc:", "otel:", "tracing:", "aws-wrapper:", "tc:"}) {
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
        return network(POSTGRESQL, after, 5432, "");
      case "mysql":
      case "mysql+srv":
      case "mysqlx":
      case "mysqlx+srv":
        // a MySQL read as standard SQL would keep "..." strings and misread \' escapes
        return network(MYSQL, after, 3306, "");
      case "mariadb":
        return network(MARIADB, after, 3306, "");
      case "sqlserver":
        return sqlServer(after);
      case "oracle":
        return oracle(after);
      case "db2":
        return network(DB2, after, 50000, DB2_PROPERTIES);
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

  /**
   * {@code [subprotocol:]//[user[:password]@]host[:port][,host2...][/database][?|;properties]},
   * where a host may also be MySQL's {@code address=(host=h)(port=p)...} or {@code
   * (host=h,port=p,...)}. {@code properties} are the characters, besides '?' and ';', that end the
   * database name and start properties.
   */
  private static JdbcUrl network(String system, String after, int defaultPort, String properties) {
    String dbEnds = "?;" + properties;
    int slashes = after.indexOf("//");
    if (slashes < 0) {
      // jdbc:postgresql:database means localhost
      String db = cutAtAny(after, dbEnds);
      return new JdbcUrl(system, "localhost", defaultPort, emptyToNull(db));
    }
    String authority = after.substring(slashes + 2);
    // Separators are looked for in the shape, so that a '/', '@' or ',' in a parenthesised
    // host form's value (a password, say) is not taken for one.
    String shape = masked(authority);
    int at = userInfoEnd(shape, properties);
    if (at >= 0) {
      authority = authority.substring(at + 1);
      shape = shape.substring(at + 1);
    }
    int pathStart = indexOfAny(shape, "/?;");
    String hosts = pathStart < 0 ? authority : authority.substring(0, pathStart);
    String db = null;
    if (pathStart >= 0 && authority.charAt(pathStart) == '/') {
      db = cutAtAny(authority.substring(pathStart + 1), dbEnds);
    }
    int comma = shape.substring(0, hosts.length()).indexOf(',');
    String first = (comma < 0 ? hosts : hosts.substring(0, comma)).trim();
    if (first.indexOf('(') >= 0 || first.indexOf('=') >= 0) {
      return keyValueHost(system, first, defaultPort, emptyToNull(db));
    }
    return withHostPort(system, first, defaultPort, emptyToNull(db));
  }

  /**
   * Where {@code user:password@} ends in an authority's {@code shape}, or -1. A password may hold
   * '/', ';', ':' or '@' unescaped, so, as URL parsers do, the last '@' is the one; but not one in
   * the query ({@code ?user=name@server} is common) nor, for DB2, in the properties after the
   * database. (';' properties, for Derby, H2 and HSQLDB, are cut off before this.)
   */
  private static int userInfoEnd(String shape, String properties) {
    int slash = shape.indexOf('/');
    int end = shape.length();
    for (int i = 0; i < shape.length(); i++) {
      char c = shape.charAt(i);
      if (c == '?' || (slash >= 0 && i > slash && properties.indexOf(c) >= 0)) {
        end = i;
        break;
      }
    }
    return shape.lastIndexOf('@', end - 1);
  }

  /**
   * MySQL's and MariaDB's {@code address=(host=h)(port=p)(key=value)...} and {@code
   * (host=h,port=p,key=value)}. Only host and port are read: the other keys include user and
   * password. No host key, no address.
   */
  private static JdbcUrl keyValueHost(String system, String spec, int defaultPort, String db) {
    String host = null;
    int port = defaultPort;
    for (String pair : keyValuePairs(spec)) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        String key = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        if (key.equalsIgnoreCase("host")) {
          host = value;
        } else if (key.equalsIgnoreCase("port")) {
          port = parsePort(value, defaultPort);
        }
      }
    }
    return new JdbcUrl(system, plausibleHost(host), port, db);
  }

  /**
   * The {@code key=value} pieces between '(', ')' and ','. A quoted value is one piece whatever it
   * holds, so that a password like {@code 'x,host=y'} cannot pass for a host.
   */
  private static List<String> keyValuePairs(String spec) {
    List<String> pairs = new ArrayList<>();
    StringBuilder pair = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < spec.length(); i++) {
      char c = spec.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
        pair.append(c);
      } else if (c == '\'' || c == '"') {
        quote = c;
        pair.append(c);
      } else if (c == '(' || c == ')' || c == ',') {
        pairs.add(pair.toString());
        pair.setLength(0);
      } else {
        pair.append(c);
      }
    }
    pairs.add(pair.toString());
    return pairs;
  }

  private static JdbcUrl withHostPort(String system, String hostPort, int defaultPort, String db) {
    String host = hostPort;
    String port = "";
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      host = hostPort.substring(1, close);
      if (close + 1 < hostPort.length() && hostPort.charAt(close + 1) == ':') {
        port = hostPort.substring(close + 2).trim();
      }
    } else {
      int colon = hostPort.lastIndexOf(':');
      if (colon >= 0 && hostPort.indexOf(':') == colon) {
        host = hostPort.substring(0, colon);
        port = hostPort.substring(colon + 1).trim();
      }
    }
    if (!port.chars().allMatch(Character::isDigit)) {
      // Not a port but, likely, a password after a user name whose '@' could not be told from
      // the rest: nothing in this URL can be trusted to be no part of it.
      return new JdbcUrl(system, null, 0, null);
    }
    return new JdbcUrl(system, plausibleHost(host), parsePort(port, defaultPort), db);
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
      List<String> properties = sqlServerProperties(rest.substring(semicolon + 1));
      if (properties == null) {
        // a brace that never closes: where the properties end cannot be known
        return new JdbcUrl(SQLSERVER, null, 0, null);
      }
      for (String property : properties) {
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
   * SQL Server's {@code key=value} properties, split at ';' but not in a value in braces, which may
   * hold ';' and '=' ({@code password={a;databaseName=b}}; '}}' is a '}'): split at every ';', such
   * a password's pieces passed for properties. Null when a brace does not close.
   */
  private static List<String> sqlServerProperties(String text) {
    List<String> properties = new ArrayList<>();
    StringBuilder property = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '{' && property.toString().trim().endsWith("=")) {
        int close = bracedValueEnd(text, i + 1);
        if (close < 0) {
          return null;
        }
        property.append(text.substring(i + 1, close).replace("}}", "}"));
        i = close + 1;
      } else if (c == ';') {
        properties.add(property.toString());
        property.setLength(0);
        i++;
      } else {
        property.append(c);
        i++;
      }
    }
    properties.add(property.toString());
    return properties;
  }

  /** The index of the '}' that closes a braced value starting at {@code from}, or -1. */
  private static int bracedValueEnd(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      if (text.charAt(i) == '}') {
        if (i + 1 < text.length() && text.charAt(i + 1) == '}') {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * {@code jdbc:oracle:thin:@host:port:SID}, {@code @//host:port/service}, or a TNS descriptor
   * {@code @(DESCRIPTION=...(HOST=h)(PORT=p)...(SERVICE_NAME=s))}.
   */
  private static JdbcUrl oracle(String after) {
    int at = oracleTargetStart(after);
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
          plausibleHost(host),
          port == null ? 1521 : parsePort(port, 1521),
          service != null ? service : tnsValue(target, "SID"));
    }
    if (target.startsWith("//")) {
      return network(ORACLE, target, 1521, "");
    }
    // host:port:sid, or host:port/service
    String[] parts = cutAt(target, '?').split("[:/]", -1);
    String host = parts[0];
    int port = parts.length > 1 ? parsePort(parts[1], 1521) : 1521;
    String db = parts.length > 2 ? parts[2] : null;
    return new JdbcUrl(ORACLE, plausibleHost(host), port, emptyToNull(db));
  }

  /**
   * The '@' before Oracle's connect target, or -1. In {@code user/password@target} an unquoted
   * password may hold '@', so it is the last '@' before the target's own syntax begins (a TNS
   * descriptor's '(' or EZConnect's '?'); '@' inside a quoted {@code "password"} does not count.
   */
  private static int oracleTargetStart(String after) {
    int at = -1;
    boolean quoted = false;
    for (int i = 0; i < after.length(); i++) {
      char c = after.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '(' || c == '?')) {
        break;
      } else if (!quoted && c == '@') {
        at = i;
      }
    }
    return at;
  }

  /** H2, Derby, HSQLDB: {@code mem:name}, {@code file:path} or a bare path, or a server URL. */
  private static JdbcUrl embeddedOrNetwork(String system, String after, int defaultPort) {
    String rest = cutAt(after, ';');
    String lower = rest.toLowerCase(Locale.ROOT);
    for (String server : new String[] {"tcp:", "ssl:", "hsql:", "hsqls:", "http:", "https:"}) {
      if (lower.startsWith(server) && rest.startsWith("//", server.length())) {
        return network(system, rest.substring(server.length()), defaultPort, "");
      }
    }
    if (lower.startsWith("//")) {
      return network(system, rest, defaultPort, "");
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

  /** {@code host}, or null when it is empty or holds what no host name does. */
  private static String plausibleHost(String host) {
    if (host == null || host.isEmpty() || indexOfAny(host, NOT_IN_HOST) >= 0) {
      return null;
    }
    return host;
  }

  /**
   * {@code text} with what is inside parentheses blanked to '_', same length, so that indexes found
   * in it hold for {@code text}. Within parentheses a quote runs to its closing quote.
   */
  private static String masked(String text) {
    char[] shape = text.toCharArray();
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < shape.length; i++) {
      char c = shape[i];
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
        shape[i] = '_';
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
      } else if (depth > 0) {
        quote = c == '\'' || c == '"' ? c : 0;
        shape[i] = '_';
      }
    }
    return new String(shape);
  }

  private static String cutAtAny(String text, String chars) {
    int at = indexOfAny(text, chars);
    return at < 0 ? text : text.substring(0, at);
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
