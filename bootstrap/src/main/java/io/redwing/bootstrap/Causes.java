package io.redwing.bootstrap;

import java.util.function.Predicate;

/** Questions about a throwable's chain of causes. */
public final class Causes {
  /** Chains of causes can loop; none worth following is this deep. */
  private static final int MAX_DEPTH = 10;

  private Causes() {}

  /** Whether {@code test} holds for {@code outer} or one of its causes. */
  public static boolean anyInChain(Throwable outer, Predicate<Throwable> test) {
    return firstInChain(outer, test) != null;
  }

  /** {@code outer} or the outermost of its causes for which {@code test} holds; else null. */
  public static Throwable firstInChain(Throwable outer, Predicate<Throwable> test) {
    Throwable t = outer;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      if (test.test(t)) {
        return t;
      }
    }
    return null;
  }

  /** Whether {@code cause} is {@code outer} or one of its causes. */
  public static boolean isOrCauses(Throwable cause, Throwable outer) {
    return anyInChain(outer, t -> t == cause);
  }
}
