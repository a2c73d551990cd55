package io.redwing.instrumentation.jaxrs.jersey.v2;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.testing.HttpServerOperation;
import io.redwing.instrumentation.testing.InstrumentationExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Jersey 2 (javax) in embedded Tomcat 9, its servlet mapped to {@code /api/*}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Jersey2InstrumentationTest {
  @RegisterExtension static final InstrumentationExtension agent = new InstrumentationExtension();

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Tomcat tomcat;
  private int port;

  @Path("/orders")
  public static class OrderResource {
    @GET
    @Path("{id: [0-9]+}")
    public String order(@PathParam("id") String id) {
      return "order " + id;
    }

    @Path("{id}/lines")
    public LineResource lines(@PathParam("id") String id) {
      return new LineResource();
    }
  }

  public static class LineResource {
    @GET
    @Path("{line}")
    public String line(@PathParam("line") String line) {
      return "line " + line;
    }
  }

  @BeforeAll
  @SuppressWarnings("deprecation") // Tomcat 9 deprecates every way to map a servlet in code
  void start() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat9").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(
        context, "jersey", new ServletContainer(new ResourceConfig(OrderResource.class)));
    context.addServletMappingDecoded("/api/*", "jersey", false);
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
  void takesTheTemplateWithoutItsRegexUnderTheServletPath() throws Exception {
    assertThat(get("/api/orders/42").body()).isEqualTo("order 42");

    assertThat(single().route()).isEqualTo("/api/orders/{id}");
  }

  @Test
  void joinsTheTemplatesOfASubResourceLocator() throws Exception {
    assertThat(get("/api/orders/42/lines/3").body()).isEqualTo("line 3");

    assertThat(single().route()).isEqualTo("/api/orders/{id}/lines/{line}");
  }

  @Test
  void keepsTheServletMappingWhenNoResourceMatched() throws Exception {
    assertThat(get("/api/orders/x").statusCode()).isEqualTo(404);

    assertThat(single().route()).isEqualTo("/api/*");
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
