package io.redwing.agent.config;

import java.util.List;
import java.util.Locale;

/**
 * Hides configuration values that may be secrets before {@code status} or a line about a rejected
 * setting shows them.
 */
public final class SecretMask {
  public static final String MASK = "****";

  /** Any key containing one of these is a secret: a DSN carries its key, headers carry tokens. */
  private static final List<String> SECRET_WORDS = SecretWords.and("key", "dsn", "auth", "headers");

  private SecretMask() {}

  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (String word : SECRET_WORDS) {
      if (k.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The value as {@code status} shows it: secrets masked, and credentials inside a URL (an OTLP
   * endpoint with {@code user:password@}) too, whatever the key.
   */
  public static String show(String key, String value) {
    if (value == null) {
      return "";
    }
    if (isSecret(key)) {
      return MASK;
    }
    return UrlCredentials.mask(value, MASK);
  }
}
