package io.redwing.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventBudgetTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final EventBudget budget = new EventBudget(3, now::get);

  @Test
  void identicalErrorsAreSentOncePerMinute() {
    assertThat(budget.admit("a")).isTrue();
    assertThat(budget.admit("a")).isFalse();
    now.addAndGet(EventBudget.WINDOW_MILLIS - 1);
    assertThat(budget.admit("a")).isFalse();
    now.addAndGet(1);
    assertThat(budget.admit("a")).isTrue();
    assertThat(budget.suppressed()).isEqualTo(2);
  }

  @Test
  void distinctErrorsBeyondTheCapWaitForTheNextMinute() {
    assertThat(budget.admit("a")).isTrue();
    assertThat(budget.admit("b")).isTrue();
    assertThat(budget.admit("c")).isTrue();
    assertThat(budget.admit("d")).isFalse();
    now.addAndGet(EventBudget.WINDOW_MILLIS);
    assertThat(budget.admit("d")).isTrue();
    assertThat(budget.suppressed()).isEqualTo(1);
  }

  @Test
  void theFingerprintIsClassRouteAndThrowSite() {
    RuntimeException first = new IllegalStateException("one");
    RuntimeException second = new IllegalStateException("two");
    second.setStackTrace(first.getStackTrace());
    assertThat(EventBudget.fingerprint(first, "/r"))
        .isEqualTo(EventBudget.fingerprint(second, "/r"))
        .isNotEqualTo(EventBudget.fingerprint(first, "/s"))
        .startsWith("java.lang.IllegalStateException|/r|");
  }
}
