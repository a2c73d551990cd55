package io.redwing.instrumentation.servlet.javax;

import static org.assertj.core.api.Assertions.assertThat;

import io.redwing.instrumentation.testing.HttpServerContract;
import io.redwing.instrumentation.testing.TestApp;
import io.redwing.testapp.javax.AppFilter;
import io.redwing.testapp.javax.AppServlet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import javax.servlet.DispatcherType;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/** Jetty 9.4 on the Servlet 3.1 API it ships (see the pom), so without HttpServletMapping. */
class Jetty9InstrumentationTest extends HttpServerContract {
  private Server server;

  @Override
  protected int startServer() throws Exception {
    server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    for (TestApp.Endpoint endpoint : TestApp.Endpoint.values()) {
      ServletHolder holder = new ServletHolder(endpoint.servletName(), new AppServlet(endpoint));
      holder.setAsyncSupported(true);
      context.addServlet(holder, endpoint.mapping);
    }
    for (String name : TestApp.FILTERS) {
      FilterHolder holder = new FilterHolder(new AppFilter(name.equals(TestApp.FILTERS.get(0))));
      holder.setName(name);
      holder.setAsyncSupported(true);
      context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
    }
    server.setHandler(context);
    server.start();
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  protected void stopServer() throws Exception {
    server.stop();
  }

  @Override
  protected String instrumentationName() {
    return "servlet-javax";
  }

  @Test
  void runsWithoutServlet4SoTheServlet3RoutesAreTheOnesChecked() {
    assertThat(
            getClass().getClassLoader().getResource("javax/servlet/http/HttpServletMapping.class"))
        .isNull();
    assertThat(agent.transformedTypes()).contains(AppFilter.class.getName());
  }
}
