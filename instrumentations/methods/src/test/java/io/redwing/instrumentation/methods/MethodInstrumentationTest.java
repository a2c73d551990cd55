package io.redwing.instrumentation.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.acme.loans.LoanService;
import com.acme.loans.PremiumLoanService;
import com.acme.loans.Scoring;
import io.redwing.instrumentation.api.TypeInstrumentation;
import io.redwing.instrumentation.testing.AdviceRules;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import io.redwing.instrumentation.testing.MethodOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MethodInstrumentationTest {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  private static final List<String> problems = new ArrayList<>();
  private static final List<TypeInstrumentation> configured =
      MethodTracing.instrumentations(
          " com.acme.loans.LoanService[approve, reject, approveLater] ; com.acme.loans.Scoring[*]",
          problems::add);
  private static InstrumentationExtension.Installed installed;

  @BeforeAll
  static void install() {
    // loaded before the install on purpose: retransformation must reach them as in an attach
    new LoanService().audit("early");
    installed = agent.install(configured);
  }

  @AfterAll
  static void uninstall() {
    installed.close();
  }

  @Test
  void aListedMethodIsOneOperationWithItsClassAndName() {
    assertThat(new LoanService().audit("ann")).isEqualTo("audited ann");
    assertThat(agent.methodOperations()).isEmpty();

    assertThat(new LoanService().approve("bob")).isEqualTo("declined bob");

    MethodOperation approve = agent.methodOperations().get(0);
    assertThat(approve.type()).isEqualTo(LoanService.class);
    assertThat(approve.method()).isEqualTo("approve");
    assertThat(approve.descriptor()).isNull();
    assertThat(approve.arguments()).isNull();
    assertThat(approve.ended()).isTrue();
    assertThat(approve.error()).isNull();
    assertThat(approve.returned()).isEqualTo("declined bob");
    assertThat(approve.endThread()).isEqualTo(approve.startThread());
    assertThat(problems).isEmpty();
  }

  @Test
  void everyMethodOfAStarredClassIsTracedAndNestsInItsCaller() {
    new LoanService().approve("alexandra");

    List<MethodOperation> ops = agent.methodOperations();
    assertThat(ops)
        .extracting(op -> op.type().getSimpleName() + "." + op.method())
        .containsExactly("LoanService.approve", "Scoring.score", "Scoring.weight");
    assertThat(ops.get(0).parentContext()).isNull();
    assertThat(ops.get(1).parentContext()).isSameAs(ops.get(0).context());
    assertThat(ops.get(2).parentContext()).isSameAs(ops.get(1).context());
    assertThat(ops.get(1).returned()).isEqualTo(90);

    agent.clear();
    assertThat(Scoring.maximum()).isEqualTo(100);
    assertThat(agent.methodOperations())
        .singleElement()
        .satisfies(op -> assertThat(op.method()).isEqualTo("maximum"));
  }

  @Test
  void anExceptionEndsTheOperationAndStillReachesTheCaller() {
    Throwable thrown = catchThrowable(() -> new LoanService().reject("carol"));

    assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("cannot reject carol");
    assertThat(agent.methodOperations())
        .singleElement()
        .satisfies(op -> assertThat(op.error()).isSameAs(thrown))
        .satisfies(op -> assertThat(op.ended()).isTrue());
  }

  @Test
  void aReturnedFutureIsHandedOverSoTheOperationCanEndWithIt() throws Exception {
    CompletableFuture<String> future = new LoanService().approveLater("dave");

    assertThat(future.get()).isEqualTo("declined dave");
    assertThat(agent.methodOperations())
        .extracting(MethodOperation::method)
        .containsExactly("approveLater", "approve", "score", "weight");
    assertThat(agent.methodOperations().get(0).returned()).isSameAs(future);
  }

  @Test
  void aSubclassOfAListedClassIsNotTracedButTheInheritedBodyIs() {
    PremiumLoanService premium = new PremiumLoanService();
    assertThat(premium.upgrade("erin")).isEqualTo("upgraded erin");
    assertThat(premium.audit("erin")).isEqualTo("premium audited erin");
    assertThat(agent.methodOperations()).isEmpty();

    premium.approve("frank");
    assertThat(agent.methodOperations())
        .first()
        .satisfies(op -> assertThat(op.type()).isEqualTo(LoanService.class));
  }

  @Test
  void theAdviceKeepsTheRules() {
    configured.forEach(AdviceRules::check);
  }
}
