package io.redwing.agent.errors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides whether an error becomes an event: at most {@code perMinute} events in each minute, and
 * an error identical to one sent in the last minute (same fingerprint) is only counted.
 */
final class EventBudget {
  static final long WINDOW_MILLIS = 60_000;
  static final int REMEMBERED = 1_000;

  private final int perMinute;
  private final LongSupplier clock;
  private final Map<String, Long> recent =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > REMEMBERED;
        }
      };
  private long windowStart;
  private int sentInWindow;
  private long suppressed;

  EventBudget(int perMinute, LongSupplier clock) {
    this.perMinute = perMinute;
    this.clock = clock;
    this.windowStart = clock.getAsLong();
  }

  /** True when an event with {@code fingerprint} may be sent now; counts it if so. */
  synchronized boolean admit(String fingerprint) {
    long now = clock.getAsLong();
    if (now - windowStart >= WINDOW_MILLIS) {
      windowStart = now;
      sentInWindow = 0;
    }
    Long last = recent.get(fingerprint);
    if ((last != null && now - last < WINDOW_MILLIS) || sentInWindow >= perMinute) {
      suppressed++;
      return false;
    }
    recent.put(fingerprint, now);
    sentInWindow++;
    return true;
  }

  synchronized long suppressed() {
    return suppressed;
  }

  /** The exception's class and where it was thrown, plus the route: identical errors share it. */
  static String fingerprint(Throwable error, String route) {
    StringBuilder key = new StringBuilder(error.getClass().getName()).append('|').append(route);
    StackTraceElement[] stack = error.getStackTrace();
    if (stack.length > 0) {
      key.append('|').append(stack[0]);
    }
    return key.toString();
  }
}
