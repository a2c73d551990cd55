package io.redwing.instrumentation.jaxrs.resteasy;

import io.redwing.instrumentation.api.TypeInstrumentation;
import io.redwing.instrumentation.testing.JaxrsRouteContract;
import io.redwing.testapp.jaxrs.ItemResource;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;

/**
 * RESTEasy 6 in embedded Tomcat 11, its dispatcher servlet mapped to {@code /api/*} under context
 * {@code /shop}.
 */
class RestEasyInstrumentationTest extends JaxrsRouteContract {
  private Tomcat tomcat;

  @Override
  @SuppressWarnings("deprecation") // Tomcat deprecates every way to map a servlet in code
  protected int startServer() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    Context context = tomcat.addContext("/shop", null);
    Wrapper servlet = Tomcat.addServlet(context, "resteasy", new HttpServlet30Dispatcher());
    servlet.addInitParameter("resteasy.resources", ItemResource.class.getName());
    servlet.addInitParameter("resteasy.servlet.mapping.prefix", "/api");
    servlet.setAsyncSupported(true);
    context.addServletMappingDecoded("/api/*", "resteasy");
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
    return new RestEasyInstrumentation();
  }
}
