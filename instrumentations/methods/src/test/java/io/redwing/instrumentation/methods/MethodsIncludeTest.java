package io.redwing.instrumentation.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MethodsIncludeTest {
  private final List<String> problems = new ArrayList<>();

  private Map<String, Set<String>> parse(String value) {
    return MethodsInclude.parse(value, problems::add);
  }

  @Test
  void readsOpenTelemetrysSyntaxWithClassesInOrder() {
    assertThat(parse("com.acme.LoanService[approve,reject];com.acme.Scoring[*]"))
        .containsExactly(
            entry("com.acme.LoanService", Set.of("approve", "reject")),
            entry("com.acme.Scoring", Set.of("*")));
    assertThat(problems).isEmpty();
  }

  @Test
  void toleratesWhitespaceAroundEveryNameAndEmptyEntries() {
    assertThat(parse("  com.acme.LoanService [ approve , reject ] ;; com.acme.Outer$Inner[run]; "))
        .containsExactly(
            entry("com.acme.LoanService", Set.of("approve", "reject")),
            entry("com.acme.Outer$Inner", Set.of("run")));
    assertThat(problems).isEmpty();
  }

  @Test
  void aClassListedTwiceGetsTheMethodsOfBoth() {
    assertThat(parse("a.B[x];a.B[y]")).containsExactly(entry("a.B", Set.of("x", "y")));
  }

  @Test
  void eachBadEntryIsReportedOnceAndSkippedWhileTheOthersStay() {
    Map<String, Set<String>> parsed =
        parse("a.B[x];NoBrackets;a.C[];a.D[x y];a.E[x]];a..F[x];[x];a.G[ok]");

    assertThat(parsed).containsExactly(entry("a.B", Set.of("x")), entry("a.G", Set.of("ok")));
    assertThat(problems).hasSize(6);
    assertThat(problems.get(0))
        .isEqualTo(
            "otel.instrumentation.methods.include: \"NoBrackets\" is not class[method,...]"
                + " (e.g. com.acme.LoanService[approve,reject] or com.acme.Scoring[*]); skipped");
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("\"a.C[]\""))
        .anySatisfy(p -> assertThat(p).contains("\"a.D[x y]\""))
        .anySatisfy(p -> assertThat(p).contains("\"a..F[x]\""));
  }

  @Test
  void nothingConfiguredBuildsNoInstrumentation() {
    assertThat(MethodTracing.instrumentations(null, problems::add)).isEmpty();
    assertThat(MethodTracing.instrumentations("  ", problems::add)).isEmpty();
    assertThat(MethodTracing.instrumentations("broken", problems::add)).isEmpty();
    assertThat(problems).hasSize(1);
  }

  @Test
  void whatIsConfiguredIsOneInstrumentationUnderTheMethodsSwitch() {
    assertThat(MethodTracing.instrumentations("a.B[x];a.C[*]", problems::add))
        .singleElement()
        .satisfies(ti -> assertThat(ti.name()).isEqualTo("methods"));
  }
}
