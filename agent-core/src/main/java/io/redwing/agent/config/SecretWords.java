package io.redwing.agent.config;

import java.util.List;

/**
 * The words only a secret's name contains. A query parameter, a {@code key=value} in a message, a
 * map key or a setting whose name contains one is a secret wherever the agent meets it: spans,
 * Sentry events, log records and its own lines read the same list, so that a name one of them hides
 * the others cannot show. Each adds the broader words its own text needs ({@code auth} in a message
 * or a setting, where it would take a query's {@code author}).
 */
public final class SecretWords {
  /** Lower-case, ASCII. */
  public static final List<String> WORDS =
      List.of(
          "password",
          "passwd",
          "secret",
          "token",
          "credential",
          "apikey",
          "api_key",
          "api-key",
          "privatekey",
          "private_key",
          "private-key",
          "signature",
          "sessionid",
          "session_id");

  private SecretWords() {}

  /** {@link #WORDS} followed by {@code more}, for a list that needs broader words too. */
  public static List<String> and(String... more) {
    String[] all = WORDS.toArray(new String[WORDS.size() + more.length]);
    System.arraycopy(more, 0, all, WORDS.size(), more.length);
    return List.of(all);
  }
}
