package io.redwing.instrumentation.jaxrs.jersey;

import io.redwing.instrumentation.api.TypeInstrumentation;
import io.redwing.instrumentation.testing.JaxrsRouteContract;
import io.redwing.testapp.jaxrs.ItemResource;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Jersey 3 in embedded Tomcat 11, its servlet mapped to {@code /api/*} under context {@code /shop}.
 */
class JerseyInstrumentationTest extends JaxrsRouteContract {
  private Tomcat tomcat;

  @Override
  @SuppressWarnings("deprecation") // Tomcat deprecates every way to map a servlet in code
  protected int startServer() throws Exception {
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
    return tomcat.getConnector().getLocalPort();
  }

  @Override
  protected void stopServer() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  @Override
  protected TypeInstrumentation instrumentation() {
    return new JerseyInstrumentation();
  }
}
