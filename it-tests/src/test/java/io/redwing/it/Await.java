package io.redwing.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes; the only wait the it-tests use. A
 * condition that throws an exception is retried (the server may not be up yet); one that throws an
 * {@link AssertionError} ends the wait at once.
 */
final class Await {

  static final Duration STARTUP = Duration.ofSeconds(90);
  // The OTLP exporter retries a failed export with backoff for several seconds before giving up.
  static final Duration EXPORT = Duration.ofSeconds(60);
  private static final long POLL_MILLIS = 50;

  private Await() {}

  static void until(String description, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
        last = null;
      } catch (RuntimeException e) {
        last = e;
      }
      pause();
    }
    AssertionError error =
        new AssertionError("Timed out after " + timeout + " waiting for: " + description);
    if (last != null) {
      error.initCause(last);
    }
    throw error;
  }

  /** Polls until {@code supplier} returns non-null and returns that value. */
  static <T> T value(String description, Duration timeout, Supplier<T> supplier) {
    Object[] holder = new Object[1];
    until(
        description,
        timeout,
        () -> {
          holder[0] = supplier.get();
          return holder[0] != null;
        });
    @SuppressWarnings("unchecked") // holder only ever holds what supplier returned
    T value = (T) holder[0];
    return value;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while polling", e);
    }
  }
}
