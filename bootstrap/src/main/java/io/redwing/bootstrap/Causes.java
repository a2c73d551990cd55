package io.redwing.bootstrap;

/** Questions about a throwable's chain of causes. */
public final class Causes {
  /** Chains of causes can loop; none worth following is this deep. */
  private static final int MAX_DEPTH = 10;

  private Causes() {}

  /** Whether {@code cause} is {@code outer} or one of its causes. */
  public static boolean isOrCauses(Throwable cause, Throwable outer) {
    Throwable t = outer;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      if (t == cause) {
        return true;
      }
    }
    return false;
  }
}
