package io.redwing.agent.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the {@code user:password@} of every URL in a text. One rule for the agent's own lines
 * (configuration values in {@code status} and on stderr) and for what leaves the process (Sentry
 * events, spans, log records), so that a password one of them shows the other cannot.
 */
public final class UrlCredentials {
  // A password may hold '/' and '@' unescaped (a generated one often does), and a Redis URL has
  // none but a user name (redis://:password@host): user:password ends at the last '@' before the
  // query, the fragment or a space, as URL parsers read it. Both runs are bounded, so that text
  // repeating "a://b:" costs at most a kilobyte's scan per repeat; the scheme starts only where a
  // word starts (the lookbehind), so that a long token is not a new start at each of its letters.
  private static final Pattern USER_INFO =
      Pattern.compile(
          "(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*://)[^/@\\s:]{0,256}(?::[^\\s?#]{0,1024})?@");

  private UrlCredentials() {}

  /** {@code text} with each URL's user information replaced by {@code mask}. */
  public static String mask(String text, String mask) {
    if (text == null || text.indexOf("://") < 0) {
      return text;
    }
    return USER_INFO.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(mask) + "@");
  }
}
