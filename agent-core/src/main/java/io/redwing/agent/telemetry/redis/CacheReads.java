package io.redwing.agent.telemetry.redis;

import java.lang.reflect.Method;
import java.util.Collection;

/**
 * Decides from a read command's reply how many keys were hits and how many misses: an empty reply
 * ({@code nil}) is a miss. Only emptiness is looked at, never a value.
 */
public final class CacheReads {

  /** Per-key outcomes of one reply. */
  public static final class Outcome {
    public final long hits;
    public final long misses;

    Outcome(long hits, long misses) {
      this.hits = hits;
      this.misses = misses;
    }
  }

  private static final Outcome HIT = new Outcome(1, 0);
  private static final Outcome MISS = new Outcome(0, 1);

  /** Lettuce's {@code KeyValue} (MGET, HMGET replies) says through {@code hasValue()}. */
  private static final ClassValue<Method> HAS_VALUE =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
          try {
            Method m = type.getMethod("hasValue");
            return m.getReturnType() == boolean.class ? m : null;
          } catch (NoSuchMethodException | SecurityException e) {
            return null;
          }
        }
      };

  private CacheReads() {}

  /** Null when {@code operationName} is not a cache read or the reply is not understood. */
  public static Outcome of(String operationName, int argumentCount, Object reply) {
    if (operationName == null) {
      return null;
    }
    switch (operationName) {
      case "GET":
      case "GETEX":
      case "GETDEL":
      case "HGET":
        return isEmpty(reply) ? MISS : HIT;
      case "MGET":
      case "HMGET":
        return reply instanceof Collection ? perElement((Collection<?>) reply) : null;
      case "EXISTS":
        return existing(argumentCount, reply);
      case "HEXISTS":
        return existing(1, reply);
      default:
        return null;
    }
  }

  private static Outcome perElement(Collection<?> values) {
    long misses = 0;
    for (Object value : values) {
      if (isEmpty(value)) {
        misses++;
      }
    }
    return new Outcome(values.size() - misses, misses);
  }

  /** EXISTS k1 k2 replies how many exist; HEXISTS 1 or 0; some clients map these to booleans. */
  private static Outcome existing(int argumentCount, Object reply) {
    if (reply instanceof Boolean) {
      return (Boolean) reply ? HIT : MISS;
    }
    if (!(reply instanceof Number)) {
      return null;
    }
    long found = ((Number) reply).longValue();
    long asked = argumentCount > 0 ? argumentCount : 1;
    if (found < 0 || found > asked) {
      return null;
    }
    return new Outcome(found, asked - found);
  }

  private static boolean isEmpty(Object value) {
    if (value == null) {
      return true;
    }
    Method hasValue = HAS_VALUE.get(value.getClass());
    if (hasValue == null) {
      return false;
    }
    try {
      return !((Boolean) hasValue.invoke(value));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
