package io.redwing.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OperationsTest {
  private final CountingListener listener = new CountingListener();

  @AfterEach
  void uninstall() {
    Operations.uninstall();
  }

  @Test
  void everyCallIsANoOpUntilAListenerIsInstalled() {
    assertThat(Operations.startHttpServer(request())).isNull();
    Operations.endHttpServer(null, 200, "/x", null);
    Operations.endDbClient(null, null);
    assertThat(Operations.propagationHeaders(null)).isEmpty();
    assertThat(Operations.requestId(null)).isNull();
  }

  @Test
  void aDispatchNestedInAServerOperationStartsNothing() {
    Operations.install(listener);
    Operation outer = Operations.startHttpServer(request());

    assertThat(Operations.inHttpServer()).isTrue();
    assertThat(Operations.startHttpServer(request())).isNull();

    Operations.endHttpServer(outer, 200, "/x", null);
    assertThat(Operations.inHttpServer()).isFalse();
    assertThat(listener.ended).containsExactly("200 /x");
  }

  @Test
  void aSuppressedAdviceErrorNeverLeavesTheThreadLookingNested() {
    Operations.install(listener);
    Operations.startHttpServer(request());

    Operations.adviceFailed(new IllegalStateException("exit advice broke"), "servlet-jakarta");

    assertThat(Operations.inHttpServer()).isFalse();
    Operation next = Operations.startHttpServer(request());
    assertThat(next).isNotNull();
    Operations.endHttpServer(next, 200, "/x", null);
    assertThat(listener.failures).containsExactly("servlet-jakarta: exit advice broke");
  }

  @Test
  void anAsyncRequestEndsOnceWhenItCompletesWithTheRouteItsDispatchSaw() {
    Operations.install(listener);
    Object request = new Object();
    Object asyncContext = new Object();
    Operation op = Operations.startHttpServer(request());
    Operations.asyncStarted(request, asyncContext);

    Operations.endHttpServer(op, 200, "/async", null);
    assertThat(listener.ended).isEmpty();
    assertThat(listener.suspended).isEqualTo(1);

    Operations.completeHttpServer(asyncContext, 201, null);
    Operations.completeHttpServer(request, 202, null);
    assertThat(listener.ended).containsExactly("201 /async");
  }

  @Test
  void aFrameworkRouteWinsOverTheRouteTheDispatchComputed() {
    Operations.install(listener);
    Operation op = Operations.startHttpServer(request());

    Operations.frameworkRoute("/outer/{a}");
    Operations.frameworkRoute("/inner/{b}");
    Operations.endHttpServer(op, 200, "/api/*", null);

    assertThat(listener.ended).containsExactly("200 /inner/{b}");
  }

  @Test
  void aJaxrsRouteOutsideAServerOperationIsIgnored() {
    Operations.install(listener);

    Operations.jaxrsRoute("/api/", List.of("/items"));
    Operation op = Operations.startHttpServer(request());
    Operations.endHttpServer(op, 200, "/api/*", null);

    assertThat(listener.ended).containsExactly("200 /api/*");
  }

  @Test
  void anAsyncRequestEndsWithTheJaxrsRouteMatchedOnItsDispatch() {
    Operations.install(listener);
    Object request = new Object();
    Operation op = Operations.startHttpServer(request());
    Operations.asyncStarted(request, null);
    Operations.jaxrsRoute("/api/", List.of("/{id}", "/items"));
    Operations.endHttpServer(op, 200, "/api/*", null);

    Operations.completeHttpServer(request, 202, null);

    assertThat(listener.ended).containsExactly("202 /api/items/{id}");
  }

  @Test
  void anAsyncDispatchResumesTheOperationAndEndsIt() {
    Operations.install(listener);
    Object request = new Object();
    Operation op = Operations.startHttpServer(request());
    Operations.asyncStarted(request, null);
    Operations.endHttpServer(op, 200, "/deferred", null);

    Operation resumed = Operations.resumeHttpServer(request);
    assertThat(resumed).isSameAs(op);
    assertThat(listener.resumed).isEqualTo(1);
    Operations.endHttpServer(resumed, 200, "/deferred", null);

    assertThat(listener.ended).containsExactly("200 /deferred");
    assertThat(Operations.resumeHttpServer(request)).isNull();
  }

  @Test
  void aListenerThatThrowsIsReportedAndNeverReachesTheCaller() {
    CountingListener listener =
        new CountingListener() {
          @Override
          public Operation startDbClient(DbClientRequest request) {
            throw new IllegalArgumentException("boom");
          }
        };
    Operations.install(listener);
    assertThat(
            Operations.startDbClient(
                new DbClientRequest(
                    "jdbc", "postgresql", "test", "localhost", 5432, "SELECT", "SELECT 1", 0)))
        .isNull();
    assertThat(listener.failures).containsExactly("core: boom");
  }

  @Test
  void aDriversSqlExceptionInAdviceIsNoAdviceFailure() {
    CountingListener listener = new CountingListener();
    Operations.install(listener);

    Operations.adviceFailed(new java.sql.SQLTransientConnectionException("closed"), "jdbc");
    Operations.adviceFailed(new IllegalStateException("bug"), "jdbc");

    assertThat(listener.failures).containsExactly("jdbc: bug");
  }

  private static HttpServerRequest request() {
    return new HttpServerRequest(
        "test",
        "GET",
        "http",
        "localhost",
        8080,
        "/x",
        null,
        "127.0.0.1",
        null,
        null,
        null,
        null,
        null);
  }

  private static class CountingListener implements OperationListener {
    final List<String> ended = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    int suspended;
    int resumed;

    @Override
    public Operation startHttpServer(HttpServerRequest request) {
      return new Operation() {};
    }

    @Override
    public void endHttpServer(Operation operation, int status, String route, Throwable error) {
      ended.add(status + " " + route);
    }

    @Override
    public void suspendHttpServer(Operation operation) {
      suspended++;
    }

    @Override
    public void resumeHttpServer(Operation operation) {
      resumed++;
    }

    @Override
    public Operation startHttpClient(HttpClientRequest request) {
      return new Operation() {};
    }

    @Override
    public void endHttpClient(Operation operation, int status, Throwable error) {}

    @Override
    public Operation startDbClient(DbClientRequest request) {
      return new Operation() {};
    }

    @Override
    public void endDbClient(Operation operation, Throwable error) {}

    @Override
    public void adviceFailed(String instrumentation, Throwable error) {
      failures.add(instrumentation + ": " + error.getMessage());
    }
  }
}
