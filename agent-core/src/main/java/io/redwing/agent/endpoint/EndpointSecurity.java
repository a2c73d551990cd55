package io.redwing.agent.endpoint;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpsConfigurator;
import io.redwing.agent.config.ConfigSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.function.Consumer;

/**
 * Basic auth and TLS for the endpoint, read once at start-up. A setting that asks for protection
 * but cannot be honoured (an unreadable password file, a keystore that does not open) is a refusal:
 * the endpoint is then not served at all rather than served open.
 */
public final class EndpointSecurity {
  public static final String USERNAME = "redwing.metrics.username";
  public static final String PASSWORD = "redwing.metrics.password";
  public static final String PASSWORD_FILE = "redwing.metrics.password.file";
  public static final String TLS_KEYSTORE = "redwing.metrics.tls.keystore";
  public static final String TLS_KEYSTORE_PASSWORD = "redwing.metrics.tls.keystore.password";
  public static final String TLS_KEYSTORE_PASSWORD_FILE =
      "redwing.metrics.tls.keystore.password.file";
  public static final String TLS_KEYSTORE_TYPE = "redwing.metrics.tls.keystore.type";
  public static final String PROBES_OPEN = "redwing.metrics.probes.open";

  private static final EndpointSecurity NONE = new EndpointSecurity(null, null, null);

  private final ScrapeAuthenticator authenticator;
  private final EndpointTls tls;
  private final String refusal;

  private EndpointSecurity(ScrapeAuthenticator authenticator, EndpointTls tls, String refusal) {
    this.authenticator = authenticator;
    this.tls = tls;
    this.refusal = refusal;
  }

  /** Plain HTTP, no authentication: the default. */
  public static EndpointSecurity none() {
    return NONE;
  }

  /** Reads the settings; {@code problems} gets bad values that have a safe fallback. */
  public static EndpointSecurity from(ConfigSources sources, Consumer<String> problems) {
    try {
      boolean probesOpen = readProbesOpen(sources, problems);
      return new EndpointSecurity(readAuthenticator(sources, probesOpen), readTls(sources), null);
    } catch (Refused refused) {
      return new EndpointSecurity(null, null, refused.getMessage());
    }
  }

  /** Why the endpoint must not be served, or {@code null} when it may. */
  public String refusal() {
    return refusal;
  }

  public String scheme() {
    return tls != null ? "https" : "http";
  }

  /** For the start-up line: {@code " (basic auth)"} or nothing. */
  public String describe() {
    return authenticator != null ? " (basic auth)" : "";
  }

  Authenticator authenticator() {
    return authenticator;
  }

  HttpsConfigurator httpsConfigurator() {
    return tls;
  }

  private static boolean readProbesOpen(ConfigSources sources, Consumer<String> problems) {
    // a bad value takes the closed side, since it was meant to change something
    return sources.readBoolean(PROBES_OPEN, true, false, problems);
  }

  private static ScrapeAuthenticator readAuthenticator(ConfigSources sources, boolean probesOpen)
      throws Refused {
    String username = sources.get(USERNAME);
    String password = readSecret(sources, PASSWORD, PASSWORD_FILE);
    if (username == null && password == null) {
      return null;
    }
    if (username == null || username.isBlank()) {
      throw new Refused(
          sources.spelling(sources.get(PASSWORD) != null ? PASSWORD : PASSWORD_FILE)
              + " is set but "
              + sources.spelling(USERNAME)
              + " is not");
    }
    if (password == null) {
      throw new Refused(
          sources.spelling(USERNAME)
              + " is set but neither "
              + sources.spelling(PASSWORD)
              + " nor "
              + sources.spelling(PASSWORD_FILE)
              + " is");
    }
    if (username.indexOf(':') >= 0) {
      throw new Refused(
          sources.spelling(USERNAME) + " contains ':', which basic auth cannot carry");
    }
    return new ScrapeAuthenticator(username.trim(), password, probesOpen);
  }

  private static EndpointTls readTls(ConfigSources sources) throws Refused {
    String keystore = sources.get(TLS_KEYSTORE);
    String password = readSecret(sources, TLS_KEYSTORE_PASSWORD, TLS_KEYSTORE_PASSWORD_FILE);
    String type = sources.get(TLS_KEYSTORE_TYPE);
    if (keystore == null || keystore.isBlank()) {
      if (password != null || type != null) {
        throw new Refused(
            "a keystore password or type is set but " + sources.spelling(TLS_KEYSTORE) + " is not");
      }
      return null;
    }
    Path path = Path.of(keystore.trim());
    String named = sources.spelling(TLS_KEYSTORE) + "=\"" + keystore + "\"";
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new Refused(named + " is not a readable file");
    }
    try {
      return EndpointTls.load(
          path,
          type == null || type.isBlank() ? null : type.trim(),
          password == null ? new char[0] : password.toCharArray());
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // JDK messages name the problem ("keystore password was incorrect"), never the password
      throw new Refused(named + " cannot be used: " + e.getMessage());
    }
  }

  /** The value of {@code key} or the trimmed content of the file {@code fileKey} names. */
  private static String readSecret(ConfigSources sources, String key, String fileKey)
      throws Refused {
    String value = sources.get(key);
    String file = sources.get(fileKey);
    if (value != null && file != null) {
      throw new Refused(
          sources.spelling(key) + " and " + sources.spelling(fileKey) + " are both set; set one");
    }
    if (value != null) {
      if (value.isEmpty()) {
        throw new Refused(sources.spelling(key) + " is empty");
      }
      return value;
    }
    if (file == null) {
      return null;
    }
    String named = sources.spelling(fileKey) + "=\"" + file + "\"";
    String content;
    try {
      content = Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      throw new Refused(named + " cannot be read (" + e + ")");
    }
    if (content.isEmpty()) {
      throw new Refused(named + " is empty");
    }
    return content;
  }

  /** A protection that was asked for and cannot be given. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }
}
