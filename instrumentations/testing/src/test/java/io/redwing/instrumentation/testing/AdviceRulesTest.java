package io.redwing.instrumentation.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdviceRulesTest {

  @Test
  void acceptsAdviceThatKeepsEveryRule() {
    assertThat(AdviceRules.violations(new WellBehavedInstrumentation())).isEmpty();
  }

  @Test
  void reportsEachBrokenRule() {
    assertThat(AdviceRules.violations(new MisbehavingInstrumentation()))
        .anyMatch(v -> v.contains("FieldAdvice: has field"))
        .anyMatch(v -> v.contains("HelperAdvice.helper: only onEnter and onExit"))
        .anyMatch(v -> v.contains("UnsuppressedAdvice.onEnter: needs suppress"))
        .anyMatch(v -> v.contains("UnsuppressedAdvice.onExit: needs suppress"))
        .anyMatch(v -> v.contains("ThrowingAdvice.onExit: ends the operation"))
        .anyMatch(v -> v.contains("ConcatAdvice.onEnter: invokedynamic"))
        .anyMatch(v -> v.contains("TryAdvice.onEnter: try/catch"))
        .anyMatch(v -> v.contains("ListAdvice.onEnter: calls java/util/List.of"))
        .anyMatch(v -> v.contains("OuterAdvice.onEnter: refers to the outer class"))
        .anyMatch(v -> v.contains("HiddenAdvice: not a public static nested class"))
        .anyMatch(v -> v.contains("$MissingAdvice: applied by name but not a nested advice"));
  }

  @Test
  void checkFailsWithTheViolationsListed() {
    assertThatThrownBy(() -> AdviceRules.check(new MisbehavingInstrumentation()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("breaks the advice rules")
        .hasMessageContaining("FieldAdvice: has field");
  }
}
