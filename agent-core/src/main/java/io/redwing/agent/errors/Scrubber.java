package io.redwing.agent.errors;

import io.redwing.agent.config.SecretWords;
import io.redwing.agent.config.UrlCredentials;
import io.sentry.Breadcrumb;
import io.sentry.SentryEvent;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from everything an event carries before it leaves the process: values of
 * sensitive keys (in maps, query strings and {@code key=value} text), sensitive headers, URL
 * credentials, bearer tokens, e-mail addresses, card-number-like digit runs, and the literals of
 * statements a message quotes in brackets.
 */
public final class Scrubber {
  public static final String FILTERED = "[Filtered]";

  /** A key is sensitive when its lower-case form contains one of these. */
  public static final List<String> DEFAULT_KEYS =
      SecretWords.and("pwd", "auth", "cookie", "session", "card", "cvv", "iban", "ssn", "email");

  public static final List<String> DEFAULT_HEADERS =
      List.of(
          "authorization",
          "proxy-authorization",
          "cookie",
          "set-cookie",
          "x-api-key",
          "x-auth-token",
          "x-csrf-token",
          // the client's address: the user, which events never carry
          "forwarded",
          "x-forwarded-for",
          "x-real-ip",
          "true-client-ip",
          "cf-connecting-ip");

  // Each pattern below that opens with an unbounded run starts only where such a run starts (the
  // lookbehind): otherwise every position inside a long token (a JWT, base64, hex) is a new start
  // that scans the rest of it, and one 4 KB token took a second on the thread that logged.
  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer|basic|token)\\s+[A-Za-z0-9._~+/=-]{6,}");
  private static final Pattern EMAIL =
      Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
  private static final Pattern CARD = Pattern.compile("\\b(?:\\d[ -]?){12,18}\\d\\b");

  /**
   * A PEM private key's block, whatever its kind ({@code RSA}, {@code EC}, {@code ENCRYPTED}…), to
   * its end line, or to the end of the text when that was cut off.
   */
  private static final Pattern PRIVATE_KEY =
      Pattern.compile(
          "-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE"
              + " KEY-----|\\z)",
          Pattern.DOTALL);

  /**
   * A JSON Web Token wherever it stands, under no key or one that names none ({@code jwt=},
   * {@code refresh:}): its header, base64url of {@code {"}, always begins {@code eyJ}.
   */
  private static final Pattern JWT =
      Pattern.compile("(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]++\\.[A-Za-z0-9_-]++\\.[A-Za-z0-9_-]*+");

  /**
   * PostgreSQL's unique and foreign key messages quote the row's values: {@code Key (a)=(v)}. The
   * detail starts with this, which the pattern's pre-check and {@link BoundedText}'s cut look for.
   */
  static final String KEY_DETAIL_START = "Key (";

  private static final Pattern KEY_DETAIL =
      Pattern.compile("\\b(Key \\([^)]{0,200}\\)=\\()[^)]*\\)");

  /** The default rules alone, for what no Sentry setting configures: spans and log records. */
  public static final Scrubber DEFAULTS = new Scrubber(List.of(), List.of());

  private final List<String> keys;
  private final Set<String> headers;

  public Scrubber(Collection<String> extraKeys, Collection<String> extraHeaders) {
    Set<String> k = new LinkedHashSet<>(DEFAULT_KEYS);
    for (String key : extraKeys) {
      k.add(key.toLowerCase(Locale.ROOT));
    }
    this.keys = new ArrayList<>(k);
    Set<String> h = new LinkedHashSet<>(DEFAULT_HEADERS);
    for (String header : extraHeaders) {
      h.add(header.toLowerCase(Locale.ROOT));
    }
    this.headers = h;
  }

  public boolean sensitiveKey(String key) {
    if (key == null) {
      return false;
    }
    String lower = key.toLowerCase(Locale.ROOT);
    for (String k : keys) {
      if (lower.contains(k)) {
        return true;
      }
    }
    return false;
  }

  public boolean sensitiveHeader(String name) {
    return name != null && (headers.contains(name.toLowerCase(Locale.ROOT)) || sensitiveKey(name));
  }

  /**
   * Free text (a message, a URL, a query string) with every secret it shows replaced; what is
   * longer than {@link BoundedText#MAX} characters is cut there first.
   */
  public String text(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    // Each pattern runs only where the text holds what it cannot match without: on a stack trace
    // of a few KB, running them all took longer than the rest of a failed request's recording.
    String s = QuotedStatements.sanitize(UrlCredentials.mask(BoundedText.of(value), FILTERED));
    if (s.contains("PRIVATE KEY-----")) {
      s = PRIVATE_KEY.matcher(s).replaceAll(Matcher.quoteReplacement(FILTERED));
    }
    if (s.contains("eyJ")) {
      s = JWT.matcher(s).replaceAll(Matcher.quoteReplacement(FILTERED));
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.contains("bearer") || lower.contains("basic") || lower.contains("token")) {
      s = BEARER.matcher(s).replaceAll("$1 " + Matcher.quoteReplacement(FILTERED));
    }
    s = maskKeyValues(s);
    if (s.contains(KEY_DETAIL_START)) {
      s = KEY_DETAIL.matcher(s).replaceAll("$1" + Matcher.quoteReplacement(FILTERED) + ")");
    }
    if (s.indexOf('@') >= 0) {
      s = EMAIL.matcher(s).replaceAll("[email]");
    }
    return mayHoldCardNumber(s) ? CARD.matcher(s).replaceAll("[card]") : s;
  }

  /** A run of 13 digits or more, each at most one space or dash from the one before. */
  private static boolean mayHoldCardNumber(String s) {
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isDigit(c)) {
        if (++digits >= 13) {
          return true;
        }
      } else if (!((c == ' ' || c == '-') && i > 0 && isDigit(s.charAt(i - 1)))) {
        digits = 0;
      }
    }
    return false;
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * name=value, name: value, "name":"value", name = 'value' where the name, a whole run of word
   * characters, dots and dashes, contains a key; a quoted value runs to its closing quote. A scan
   * by hand: as one pattern with the keys as alternatives it retried all of them at every length of
   * every dotted name, and regular expressions' character classes alone cost about 50 ns a
   * character here.
   */
  String maskKeyValues(String s) {
    StringBuilder out = null;
    int copied = 0;
    int n = s.length();
    int i = 0;
    while (i < n) {
      if (!isNameChar(s.charAt(i)) || (i > 0 && isNameChar(s.charAt(i - 1)))) {
        i++;
        continue;
      }
      int nameEnd = i;
      while (nameEnd < n && isNameChar(s.charAt(nameEnd))) {
        nameEnd++;
      }
      int valueStart = separatorEnd(s, nameEnd);
      int valueEnd = valueStart;
      if (valueStart > nameEnd
          && sensitiveKey(s.substring(i, nameEnd))
          && !isFramePosition(s, i, nameEnd)) {
        valueEnd =
            isQuote(s.charAt(valueStart - 1))
                ? quotedValueEnd(s, valueStart, s.charAt(valueStart - 1))
                : unquotedValueEnd(s, valueStart);
      }
      if (valueEnd > valueStart) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(s, copied, valueStart).append(FILTERED);
        copied = valueEnd;
        i = valueEnd;
      } else {
        // The value may hold a pair of its own (url:password=x): look on from the name's end.
        i = nameEnd;
      }
    }
    return out == null ? s : out.append(s, copied, n).toString();
  }

  private static int unquotedValueEnd(String s, int start) {
    int end = start;
    while (end < s.length() && !endsValue(s.charAt(end))) {
      end++;
    }
    return end;
  }

  /**
   * The closing {@code quote} of a value that opened with it, past backslash escapes: a passphrase
   * has spaces ({@code "secret": "correct horse battery"}). One left open ends with its line.
   */
  private static int quotedValueEnd(String s, int start, char quote) {
    int end = start;
    while (end < s.length()) {
      char c = s.charAt(end);
      if (c == quote || isLineEnd(c)) {
        return end;
      }
      if (c == '\\') {
        if (end + 1 == s.length() || isLineEnd(s.charAt(end + 1))) {
          return end;
        }
        end++;
      }
      end++;
    }
    return end;
  }

  static boolean isLineEnd(char c) {
    return c == '\n' || c == '\r';
  }

  /**
   * A stack frame's source position, {@code (AuthFilter.java:42)}: its file name is no key and its
   * line no secret, though the name holds a word such as {@code auth}, {@code session}, {@code
   * token}.
   */
  private static boolean isFramePosition(String s, int nameStart, int nameEnd) {
    if (nameStart == 0 || s.charAt(nameStart - 1) != '(' || nameEnd == s.length()) {
      return false;
    }
    if (s.charAt(nameEnd) != ':'
        || !(endsAt(s, nameStart, nameEnd, ".java")
            || endsAt(s, nameStart, nameEnd, ".kt")
            || endsAt(s, nameStart, nameEnd, ".scala")
            || endsAt(s, nameStart, nameEnd, ".groovy"))) {
      return false;
    }
    int j = nameEnd + 1;
    while (j < s.length() && isDigit(s.charAt(j))) {
      j++;
    }
    return j > nameEnd + 1 && j < s.length() && s.charAt(j) == ')';
  }

  private static boolean endsAt(String s, int start, int end, String suffix) {
    return end - start > suffix.length() && s.startsWith(suffix, end - suffix.length());
  }

  /**
   * Where a value starts after a name ending at {@code i}: past an optional quote, spaces, {@code
   * =} or {@code :}, spaces and an optional quote; {@code i} itself when no separator follows.
   */
  private static int separatorEnd(String s, int i) {
    int n = s.length();
    int j = i < n && isQuote(s.charAt(i)) ? i + 1 : i;
    while (j < n && isSpace(s.charAt(j))) {
      j++;
    }
    if (j == n || (s.charAt(j) != '=' && s.charAt(j) != ':')) {
      return i;
    }
    j++;
    while (j < n && isSpace(s.charAt(j))) {
      j++;
    }
    return j < n && isQuote(s.charAt(j)) ? j + 1 : j;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '-';
  }

  /** Whitespace as a regular expression's {@code \s} has it. */
  private static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'';
  }

  /** What a value that is not quoted stops at: whitespace, and {@code & , ; " '}. */
  private static boolean endsValue(char c) {
    return isSpace(c) || isQuote(c) || c == '&' || c == ',' || c == ';';
  }

  /**
   * The trace {@code printStackTrace} gives, causes and their messages included, scrubbed, and cut
   * as {@link #text} cuts.
   */
  public String stackTrace(Throwable error) {
    return text(BoundedText.stackTrace(error));
  }

  /**
   * A copy of {@code values} with sensitive keys' values filtered and the rest scrubbed as text.
   */
  public Map<String, String> map(Map<String, String> values) {
    if (values == null) {
      return null;
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      result.put(e.getKey(), sensitiveKey(e.getKey()) ? FILTERED : text(e.getValue()));
    }
    return result;
  }

  public Map<String, String> headers(Map<String, String> values) {
    if (values == null) {
      return null;
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      result.put(e.getKey(), sensitiveHeader(e.getKey()) ? FILTERED : text(e.getValue()));
    }
    return result;
  }

  /** The before-send hook: scrubs the event in place; never drops it. */
  public SentryEvent scrub(SentryEvent event) {
    Message message = event.getMessage();
    if (message != null) {
      message.setMessage(text(message.getMessage()));
      message.setFormatted(text(message.getFormatted()));
      message.setParams(null);
    }
    if (event.getExceptions() != null) {
      for (SentryException exception : event.getExceptions()) {
        exception.setValue(text(exception.getValue()));
      }
    }
    Request request = event.getRequest();
    if (request != null) {
      request.setUrl(text(request.getUrl()));
      request.setQueryString(text(request.getQueryString()));
      request.setHeaders(headers(request.getHeaders()));
      request.setCookies(null);
      request.setData(null);
      request.setEnvs(null);
      request.setOthers(map(request.getOthers()));
    }
    event.setUser(null);
    event.setTransaction(text(event.getTransaction()));
    if (event.getTags() != null) {
      for (Map.Entry<String, String> e : new LinkedHashMap<>(event.getTags()).entrySet()) {
        event.setTag(e.getKey(), sensitiveKey(e.getKey()) ? FILTERED : text(e.getValue()));
      }
    }
    if (event.getExtras() != null) {
      for (Map.Entry<String, Object> e : new LinkedHashMap<>(event.getExtras()).entrySet()) {
        event.setExtra(e.getKey(), value(e.getKey(), e.getValue()));
      }
    }
    for (String name : java.util.Collections.list(event.getContexts().keys())) {
      Object context = event.getContexts().get(name);
      if (context instanceof Map || context instanceof List) {
        event.getContexts().put(name, value(name, context));
      }
    }
    if (event.getBreadcrumbs() != null) {
      for (Breadcrumb crumb : event.getBreadcrumbs()) {
        crumb.setMessage(text(crumb.getMessage()));
        for (Map.Entry<String, Object> e : new LinkedHashMap<>(crumb.getData()).entrySet()) {
          crumb.setData(e.getKey(), value(e.getKey(), e.getValue()));
        }
      }
    }
    return event;
  }

  /** Any JSON-like value: strings scrubbed, maps and lists walked. */
  private Object value(String key, Object value) {
    if (sensitiveKey(key)) {
      return FILTERED;
    }
    if (value instanceof String) {
      return text((String) value);
    }
    if (value instanceof Map) {
      Map<String, Object> result = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        String k = String.valueOf(e.getKey());
        result.put(k, value(k, e.getValue()));
      }
      return result;
    }
    if (value instanceof List) {
      List<Object> result = new ArrayList<>();
      for (Object item : (List<?>) value) {
        result.add(value(null, item));
      }
      return result;
    }
    return value;
  }
}
