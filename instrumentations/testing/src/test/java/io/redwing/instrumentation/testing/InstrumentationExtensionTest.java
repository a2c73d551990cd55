package io.redwing.instrumentation.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redwing.bootstrap.HttpServerRequest;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.Operations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InstrumentationExtensionTest {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  @Test
  void putsTheBridgeOnTheBootstrapClassPath() {
    assertThat(Operations.class.getClassLoader()).isNull();
    assertThat(Operations.installed()).isTrue();
  }

  @Test
  void recordsAServerOperationWithAGeneratedRequestId() {
    Operation op = Operations.startHttpServer(request(null));
    Operations.endHttpServer(op, 201, "/orders", null);

    HttpServerOperation recorded = agent.awaitHttpServerOperations(1).get(0);
    assertThat(recorded.request().path).isEqualTo("/orders/7");
    assertThat(recorded.status()).isEqualTo(201);
    assertThat(recorded.route()).isEqualTo("/orders");
    assertThat(recorded.requestId()).isNotBlank().isEqualTo(Operations.requestId(op));
    assertThat(recorded.startThread()).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void echoesTheInboundRequestId() {
    Operation op = Operations.startHttpServer(request("abc-1"));
    Operations.endHttpServer(op, 200, "", null);

    assertThat(Operations.requestId(op)).isEqualTo("abc-1");
    assertThat(agent.awaitHttpServerOperations(1).get(0).requestId()).isEqualTo("abc-1");
  }

  @Test
  void keepsAnAsyncOperationOpenUntilItCompletes() {
    Operation op = Operations.startHttpServer(request(null));
    Object asyncContext = new Object();
    Operations.asyncStarted(null, asyncContext);
    Operations.endHttpServer(op, 200, "/orders", null);

    assertThat(agent.httpServerOperations()).singleElement().matches(o -> !o.ended());
    Operations.completeHttpServer(asyncContext, 202, null);
    HttpServerOperation recorded = agent.awaitHttpServerOperations(1).get(0);
    assertThat(recorded.status()).isEqualTo(202);
    assertThat(recorded.route()).isEqualTo("/orders");
    assertThat(recorded.suspensions()).isEqualTo(1);
  }

  @Test
  void clearForgetsWhatWasRecorded() {
    Operations.endHttpServer(Operations.startHttpServer(request(null)), 200, "", null);
    assertThat(agent.httpServerOperations()).hasSize(1);

    agent.clear();

    assertThat(agent.httpServerOperations()).isEmpty();
  }

  @Test
  void failsTheTestAfterAdviceReportedAnError() {
    Operations.adviceFailed(new IllegalStateException("advice bug"), "some-library");

    assertThatThrownBy(() -> agent.afterEach(null))
        .hasMessageContaining("1 advice or transformation failure")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .satisfies(s -> assertThat(s).hasMessageContaining("some-library"))
                    .satisfies(s -> assertThat(s).hasRootCauseMessage("advice bug")));
  }

  @Test
  void failsTheTestAfterAMatchedTypeFailedToTransform() throws Exception {
    assertThat(Class.forName("io.redwing.testfixture.Target").getMethod("run").invoke(null))
        .isEqualTo("ran");

    assertThatThrownBy(() -> agent.afterEach(null))
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .satisfies(
                        s -> assertThat(s).hasMessageContaining("io.redwing.testfixture.Target")));
  }

  private static HttpServerRequest request(String requestId) {
    return new HttpServerRequest(
        "test",
        "GET",
        "http",
        "localhost",
        80,
        "/orders/7",
        null,
        "127.0.0.1",
        null,
        null,
        null,
        null,
        requestId);
  }
}
