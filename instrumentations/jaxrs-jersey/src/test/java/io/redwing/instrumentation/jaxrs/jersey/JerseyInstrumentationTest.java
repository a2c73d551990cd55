package io.redwing.instrumentation.jaxrs.jersey;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.testing.AdviceRules;
import io.redwing.instrumentation.testing.HttpServerOperation;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import io.redwing.testapp.jersey.ItemResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jersey 3 in embedded Tomcat 11, its servlet mapped to {@code /api/*} under context {@code /shop}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JerseyInstrumentationTest {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Tomcat tomcat;
  private int port;

  @BeforeAll
  @SuppressWarnings("deprecation") // Tomcat deprecates every way to map a servlet in code
  void start() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    Context context = tomcat.addContext("/shop", null);
    Tomcat.addServlet(
            context, "jersey", new ServletContainer(new ResourceConfig(ItemResource.class)))
        .setAsyncSupported(true);
    context.addServletMappingDecoded("/api/*", "jersey");
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    tomcat.start();
    port = tomcat.getConnector().getLocalPort();
  }

  @AfterAll
  void stop() throws Exception {
    tomcat.stop();
    tomcat.destroy();
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
    AdviceRules.check(new JerseyInstrumentation());
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
