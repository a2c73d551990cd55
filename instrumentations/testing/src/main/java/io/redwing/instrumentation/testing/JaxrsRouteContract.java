package io.redwing.instrumentation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.api.TypeInstrumentation;
import io.redwing.testapp.jaxrs.ItemResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every JAX-RS framework's route instrumentation must give: the {@code @Path} templates it
 * matched, joined under the context and servlet path, as the route of the servlet request. A
 * framework's test only serves {@link ItemResource} under context {@code /shop}, its servlet mapped
 * to {@code /api/*}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class JaxrsRouteContract {
  @RegisterExtension
  protected static final InstrumentationExtension agent = new InstrumentationExtension();

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private int port;

  /** Starts a servlet container serving {@link ItemResource} at {@code /shop/api}; its port. */
  protected abstract int startServer() throws Exception;

  protected abstract void stopServer() throws Exception;

  protected abstract TypeInstrumentation instrumentation();

  @BeforeAll
  final void start() throws Exception {
    port = startServer();
  }

  @AfterAll
  final void stop() throws Exception {
    stopServer();
  }

  @Test
  void takesTheJoinedTemplatesUnderTheServletPathAsRoute() throws Exception {
    HttpResponse<String> response = get("/shop/api/items/42");

    assertThat(response.body()).isEqualTo("item 42");
    HttpServerOperation op = single();
    assertThat(op.request().path).isEqualTo("/shop/api/items/42");
    assertThat(op.status()).isEqualTo(200);
    assertThat(op.route()).isEqualTo("/shop/api/items/{id}");
  }

  @Test
  void joinsTheTemplatesOfASubResourceLocator() throws Exception {
    HttpResponse<String> response = get("/shop/api/items/7/parts/wheel");

    assertThat(response.body()).isEqualTo("part wheel of 7");
    assertThat(single().route()).isEqualTo("/shop/api/items/{id}/parts/{part}");
  }

  @Test
  void dropsTheRegexOfATemplateVariable() throws Exception {
    HttpResponse<String> response = get("/shop/api/items/code/404");

    assertThat(response.body()).isEqualTo("code 404");
    assertThat(single().route()).isEqualTo("/shop/api/items/code/{code}");
  }

  @Test
  void keepsTheServletMappingWhenNoResourceMatched() throws Exception {
    HttpResponse<String> response = get("/shop/api/nothing/here");

    assertThat(response.statusCode()).isEqualTo(404);
    HttpServerOperation op = single();
    assertThat(op.status()).isEqualTo(404);
    assertThat(op.route()).isEqualTo("/api/*");
  }

  @Test
  void recordsAFailingResourceAs500WithItsRoute() throws Exception {
    HttpResponse<String> response = get("/shop/api/items/9/fail");

    assertThat(response.statusCode()).isEqualTo(500);
    HttpServerOperation op = single();
    assertThat(op.status()).isEqualTo(500);
    assertThat(op.route()).isEqualTo("/shop/api/items/{id}/fail");
    assertThat(op.error()).hasRootCauseMessage(ItemResource.FAILURE);
  }

  @Test
  void givesAnAsyncResourceItsRouteWhenItResumesOnAnotherThread() throws Exception {
    HttpResponse<String> response = get("/shop/api/items/5/later");

    assertThat(response.body()).isEqualTo("later 5");
    HttpServerOperation op = single();
    assertThat(op.status()).isEqualTo(200);
    assertThat(op.route()).isEqualTo("/shop/api/items/{id}/later");
  }

  @Test
  void aHundredIdsMakeOneRoute() throws Exception {
    for (int id = 0; id < 100; id++) {
      assertThat(get("/shop/api/items/" + id).statusCode()).isEqualTo(200);
    }

    List<HttpServerOperation> ops = agent.awaitHttpServerOperations(100);
    assertThat(ops).hasSize(100);
    assertThat(ops.stream().map(HttpServerOperation::route).collect(Collectors.toSet()))
        .containsExactly("/shop/api/items/{id}");
  }

  @Test
  void theAdviceKeepsTheRules() {
    AdviceRules.check(instrumentation());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpServerOperation single() {
    List<HttpServerOperation> ops = agent.awaitHttpServerOperations(1);
    assertThat(ops).hasSize(1);
    return ops.get(0);
  }
}
