package io.redwing.agent.endpoint;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * HTTP basic auth for every path of the endpoint, except {@code /health} and {@code /ready} when
 * probes stay open. Credentials are compared as SHA-256 digests with {@link MessageDigest#isEqual},
 * so neither their content nor their length shows in the response time.
 */
final class ScrapeAuthenticator extends Authenticator {
  static final String REALM = "redwing";
  static final String CHALLENGE = "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";

  private final byte[] username;
  private final byte[] password;
  private final boolean probesOpen;

  ScrapeAuthenticator(String username, String password, boolean probesOpen) {
    this.username = sha256(username);
    this.password = sha256(password);
    this.probesOpen = probesOpen;
  }

  @Override
  public Result authenticate(HttpExchange exchange) {
    try {
      // The same decoded path StatusHandler dispatches on, so no spelling reaches another page.
      String path = exchange.getRequestURI().getPath();
      if (probesOpen && ("/health".equals(path) || "/ready".equals(path))) {
        return new Success(new HttpPrincipal("probe", REALM));
      }
      String user = authorizedUser(exchange.getRequestHeaders().getFirst("Authorization"));
      if (user != null) {
        return new Success(new HttpPrincipal(user, REALM));
      }
    } catch (RuntimeException e) {
      // a malformed request is refused like a wrong password; the server must not see a throw
    }
    exchange.getResponseHeaders().set("WWW-Authenticate", CHALLENGE);
    return new Retry(401);
  }

  boolean probesOpen() {
    return probesOpen;
  }

  /** The user name of a {@code Basic} header with the right credentials, else {@code null}. */
  String authorizedUser(String header) {
    if (header == null) {
      return null;
    }
    String value = header.trim();
    if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String pair;
    try {
      pair =
          new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    int colon = pair.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String user = pair.substring(0, colon);
    // & rather than &&: both digests are always compared
    boolean right =
        MessageDigest.isEqual(sha256(user), username)
            & MessageDigest.isEqual(sha256(pair.substring(colon + 1)), password);
    return right ? user : null;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
