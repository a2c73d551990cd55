package io.redwing.instrumentation.otelannotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.acme.shop.Checkout;
import io.redwing.instrumentation.testing.AdviceRules;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import io.redwing.instrumentation.testing.MethodOperation;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WithSpanInstrumentationTest {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  private final Checkout checkout = new Checkout();

  @Test
  void anAnnotatedMethodIsOneOperationWithItsDescriptorAndNoArguments() {
    assertThat(checkout.total(3)).isEqualTo(31);

    List<MethodOperation> ops = agent.methodOperations();
    assertThat(ops)
        .extracting(MethodOperation::method, MethodOperation::descriptor)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("total", "(I)I"),
            org.assertj.core.groups.Tuple.tuple("price", "(I)I"));
    assertThat(ops).allSatisfy(op -> assertThat(op.type()).isEqualTo(Checkout.class));
    assertThat(ops).allSatisfy(op -> assertThat(op.arguments()).isNull());
    assertThat(ops.get(0).parentContext()).isNull();
    assertThat(ops.get(1).parentContext()).isSameAs(ops.get(0).context());
    assertThat(ops.get(0).returned()).isEqualTo(31);
  }

  @Test
  void aMethodWithSpanAttributesPassesItsArguments() {
    assertThat(checkout.pay("o-17", "4111", 2500)).isEqualTo("o-17:2500");

    MethodOperation pay = agent.methodOperations().get(0);
    assertThat(pay.descriptor())
        .isEqualTo("(Ljava/lang/String;Ljava/lang/String;I)Ljava/lang/String;");
    assertThat(pay.arguments()).isEqualTo(Arrays.asList("o-17", "4111", 2500));
  }

  @Test
  void anExceptionEndsTheOperationAndStillReachesTheCaller() {
    Throwable thrown = catchThrowable(() -> checkout.fail("no stock"));

    assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessage("no stock");
    assertThat(agent.methodOperations())
        .singleElement()
        .satisfies(op -> assertThat(op.error()).isSameAs(thrown))
        .satisfies(op -> assertThat(op.arguments()).containsExactly("no stock"));
  }

  @Test
  void aReturnedFutureIsHandedOver() {
    CompletableFuture<String> shipped = checkout.ship("o-18");

    assertThat(agent.methodOperations())
        .singleElement()
        .satisfies(op -> assertThat(op.returned()).isSameAs(shipped));
  }

  @Test
  void methodsWithoutTheAnnotationAreNotTraced() {
    assertThat(checkout.plain()).isEqualTo("plain");
    assertThat(agent.methodOperations()).isEmpty();
  }

  @Test
  void theAdviceKeepsTheRules() {
    AdviceRules.check(new WithSpanInstrumentation());
  }
}
