package io.redwing.bootstrap;

import java.util.List;

/**
 * The connection pools the application uses, found by advice when they hand out a connection (so
 * that pools created before an attach are found too) and read by agent-core when metrics are
 * scraped. Held weakly: a pool the application dropped disappears.
 */
public final class DbPools {
  private static final int MAX_POOLS = 256;
  private static final WeakConcurrentMap<Object, Boolean> POOLS =
      new WeakConcurrentMap<>(MAX_POOLS);

  private DbPools() {}

  public static void register(Object pool) {
    if (pool != null && POOLS.get(pool) == null) {
      POOLS.put(pool, Boolean.TRUE);
    }
  }

  /** The pools registered and not yet collected. */
  public static List<Object> registered() {
    return POOLS.keys();
  }
}
